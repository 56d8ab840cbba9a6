using System.Reflection;
using CodatFiles.Client;

namespace CodatFiles.Client.Tests;

/// <summary>
/// The module loads Polly and System.Text.Json in isolation, so no public member of the client may mention
/// their types (in signatures or attributes): callers must be able to compile against the client alone.
/// </summary>
public sealed class PublicSurfaceTests
{
    private static readonly string[] HiddenAssemblies = { "Polly.Core", "System.Text.Json" };

    [Fact]
    public void Public_types_expose_no_polly_or_system_text_json_types()
    {
        var offenders = new List<string>();
        foreach (var type in typeof(CodatFilesClient).Assembly.GetExportedTypes())
        {
            Check(type.CustomAttributes, type.FullName!);
            foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var where = $"{type.Name}.{member.Name}";
                Check(member.CustomAttributes, where);
                var mentioned = member switch
                {
                    PropertyInfo p => new[] { p.PropertyType },
                    FieldInfo f => new[] { f.FieldType },
                    MethodInfo m => m.GetParameters().Select(x => x.ParameterType).Append(m.ReturnType).ToArray(),
                    ConstructorInfo c => c.GetParameters().Select(x => x.ParameterType).ToArray(),
                    EventInfo e => new[] { e.EventHandlerType! },
                    _ => Array.Empty<Type>(),
                };
                foreach (var t in mentioned.SelectMany(Expand))
                {
                    if (IsHidden(t.Assembly)) offenders.Add($"{where} uses {t.FullName}");
                }
            }
        }

        Assert.Empty(offenders);

        void Check(IEnumerable<CustomAttributeData> attributes, string where)
        {
            foreach (var attribute in attributes.Where(a => IsHidden(a.AttributeType.Assembly)))
            {
                offenders.Add($"{where} has [{attribute.AttributeType.Name}]");
            }
        }
    }

    [Fact]
    public void The_handler_constructor_is_available_for_advanced_callers()
    {
        var constructor = typeof(CodatFilesClient).GetConstructor(new[] { typeof(CodatClientOptions), typeof(HttpMessageHandler) });
        Assert.NotNull(constructor);
    }

    private static bool IsHidden(Assembly assembly) => HiddenAssemblies.Contains(assembly.GetName().Name);

    private static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        if (type.HasElementType) foreach (var t in Expand(type.GetElementType()!)) yield return t;
        if (type.IsGenericType) foreach (var t in type.GetGenericArguments().SelectMany(Expand)) yield return t;
    }
}

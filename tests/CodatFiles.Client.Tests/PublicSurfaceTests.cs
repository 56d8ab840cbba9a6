using System.Reflection;
using CodatFiles.Client;

namespace CodatFiles.Client.Tests;

/// <summary>
/// The module loads Polly and System.Text.Json in isolation, so nothing a caller can see of the client may
/// mention their types: not signatures, base types, interfaces, generic arguments or constraints, nor attributes
/// (on types, members, parameters or return values), and that includes protected members, which a subclass sees.
/// </summary>
public sealed class PublicSurfaceTests
{
    private static readonly string[] HiddenAssemblies = { "Polly.Core", "System.Text.Json" };

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void Public_types_expose_no_polly_or_system_text_json_types()
    {
        var offenders = typeof(CodatFilesClient).Assembly.GetExportedTypes().SelectMany(Offences).ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void The_check_finds_hidden_types_in_every_place_it_looks()
    {
        // Each member of the fixture below hides a System.Text.Json type in a different place.
        var offences = Offences(typeof(LeakyFixture<>)).ToList();

        Assert.Contains(offences, o => o.Contains("base type"));
        Assert.Contains(offences, o => o.Contains("implements"));
        Assert.Contains(offences, o => o.Contains("generic constraint"));
        Assert.Contains(offences, o => o.Contains("Protected"));
        Assert.Contains(offences, o => o.Contains(".Generic uses System.Text.Json.JsonElement"));
        Assert.Contains(offences, o => o.Contains("has [JsonConverterAttribute]"));
        Assert.Contains(offences, o => o.Contains("Attributed(value) parameter has [NamesAttribute]"));
        Assert.Contains(offences, o => o.Contains("Attributed return value has [NamesAttribute]"));
        Assert.DoesNotContain(offences, o => o.Contains("Internal"));
    }

    [Fact]
    public void The_handler_constructor_is_available_for_advanced_callers()
    {
        var constructor = typeof(CodatFilesClient).GetConstructor(new[] { typeof(CodatClientOptions), typeof(HttpMessageHandler) });
        Assert.NotNull(constructor);
    }

    private static IEnumerable<string> Offences(Type type)
    {
        var name = type.FullName ?? type.Name;
        foreach (var o in Attributes(type.CustomAttributes, name)) yield return o;
        if (type.BaseType is Type baseType)
        {
            foreach (var o in Uses(baseType, $"{name} base type")) yield return o;
        }

        foreach (var o in type.GetInterfaces().SelectMany(i => Uses(i, $"{name} implements"))) yield return o;
        foreach (var o in type.GetGenericArguments().SelectMany(a => Constraints(a, name))) yield return o;

        foreach (var member in type.GetMembers(Declared).Where(IsVisible))
        {
            var where = $"{type.Name}.{member.Name}";
            foreach (var o in Attributes(member.CustomAttributes, where)) yield return o;
            foreach (var o in MentionedTypes(member).SelectMany(t => Uses(t, where))) yield return o;
            if (member is MethodBase method)
            {
                foreach (var parameter in method.GetParameters())
                {
                    foreach (var o in Attributes(parameter.CustomAttributes, $"{where}({parameter.Name}) parameter")) yield return o;
                }

                if (method is MethodInfo m)
                {
                    foreach (var o in Attributes(m.ReturnParameter.CustomAttributes, $"{where} return value")) yield return o;
                    foreach (var o in m.GetGenericArguments().SelectMany(a => Constraints(a, where))) yield return o;
                }
            }
        }
    }

    /// <summary>Public, protected, or protected internal: what code outside the assembly can reach.</summary>
    private static bool IsVisible(MemberInfo member) => member switch
    {
        MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => p.GetAccessors(nonPublic: true).Any(IsVisible),
        EventInfo e => e.AddMethod is MethodInfo add && IsVisible(add),
        Type t => t.IsNestedPublic || t.IsNestedFamily || t.IsNestedFamORAssem,
        _ => false,
    };

    private static IEnumerable<Type> MentionedTypes(MemberInfo member) => member switch
    {
        PropertyInfo p => p.GetIndexParameters().Select(x => x.ParameterType).Append(p.PropertyType),
        FieldInfo f => new[] { f.FieldType },
        MethodInfo m => m.GetParameters().Select(x => x.ParameterType).Append(m.ReturnType),
        ConstructorInfo c => c.GetParameters().Select(x => x.ParameterType),
        EventInfo e => new[] { e.EventHandlerType! },
        _ => Array.Empty<Type>(), // nested types are exported types of their own
    };

    private static IEnumerable<string> Constraints(Type genericArgument, string where) =>
        genericArgument.GetGenericParameterConstraints().SelectMany(c => Uses(c, $"{where} generic constraint"))
            .Concat(Attributes(genericArgument.CustomAttributes, $"{where} generic parameter {genericArgument.Name}"));

    private static IEnumerable<string> Uses(Type type, string where) =>
        Expand(type).Where(t => IsHidden(t.Assembly)).Select(t => $"{where} uses {t.FullName ?? t.Name}");

    private static IEnumerable<string> Attributes(IEnumerable<CustomAttributeData> attributes, string where) =>
        attributes.Where(a => Expand(a.AttributeType).Any(t => IsHidden(t.Assembly))
                              || a.ConstructorArguments.Concat(a.NamedArguments.Select(n => n.TypedValue))
                                  .Any(arg => arg.Value is Type t && Expand(t).Any(x => IsHidden(x.Assembly))))
            .Select(a => $"{where} has [{a.AttributeType.Name}]");

    private static bool IsHidden(Assembly assembly) => HiddenAssemblies.Contains(assembly.GetName().Name);

    /// <summary>The type, its element type, its generic arguments, and for a generic parameter nothing more.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        if (type.HasElementType) foreach (var t in Expand(type.GetElementType()!)) yield return t;
        if (type.IsGenericType && !type.IsGenericTypeDefinition) foreach (var t in type.GetGenericArguments().SelectMany(Expand)) yield return t;
    }
}

/// <summary>A deliberately leaky type, to prove each place the surface check looks is really looked at.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter))]
public class LeakyFixture<T> : List<System.Text.Json.JsonElement>, IEquatable<System.Text.Json.JsonDocument>
    where T : System.Text.Json.Nodes.JsonNode
{
    [return: Names(typeof(System.Text.Json.JsonElement))]
    public int Attributed([Names(typeof(System.Text.Json.JsonElement))] int value) => value;

    public List<System.Text.Json.JsonElement>? Generic { get; set; }

    protected System.Text.Json.JsonSerializerOptions? Protected { get; set; }

    internal System.Text.Json.JsonSerializerOptions? Internal { get; set; }

    public bool Equals(System.Text.Json.JsonDocument? other) => false;
}

/// <summary>An attribute of our own that names a type: a hidden type can leak through an attribute's arguments too.</summary>
[AttributeUsage(AttributeTargets.All)]
public sealed class NamesAttribute(Type type) : Attribute
{
    public Type Type { get; } = type;
}

using System.Collections;
using System.Management.Automation;

namespace CodatFiles.Input
{
    /// <summary>
    /// Lets an object with a Path property bind to -Path when it is piped whole. PowerShell binds a piped object to a
    /// ValueFromPipeline string parameter by converting it to text before it tries the object's properties with type
    /// conversion, so an object whose ids are already [guid] (bound by name at once) had its Path taken as
    /// '@{Path=...}', while an Import-Csv row (all strings) bound property by property. Given such an object, this
    /// hands the binder its Path value instead; strings, arrays and objects without Path pass through unchanged.
    /// </summary>
    internal sealed class PathPropertyTransformationAttribute : ArgumentTransformationAttribute
    {
        private const string PathPropertyName = "Path";

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value == null || value is string || value is IEnumerable) return inputData;

            var path = PSObject.AsPSObject(inputData).Properties[PathPropertyName]?.Value;
            return path ?? inputData;
        }
    }
}

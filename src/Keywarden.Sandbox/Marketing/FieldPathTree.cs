namespace Keywarden.Sandbox.Marketing;

/// <summary>The dotted paths of a fields or exclude_fields list, as a tree.</summary>
internal sealed class FieldPathTree
{
    public Dictionary<string, FieldPathTree> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>The path ends here: the whole field is meant, not some of its sub-fields.</summary>
    public bool IsWhole { get; set; }
}

// In the Operators folder with the rest of the operator story, but in the namespace of the other store interfaces.
namespace Keywarden.Storage;

/// <summary>What became of a change to an operator that the store checks inside its transaction.</summary>
public enum OperatorChange
{
    /// <summary>Changed, and the audit record appended.</summary>
    Done,

    /// <summary>No such operator; nothing written.</summary>
    NotFound,

    /// <summary>The operator is the last admin, and the change would leave none; nothing written.</summary>
    LastAdmin,

    /// <summary>The operator already is so; nothing written.</summary>
    Unchanged,
}

namespace Keywarden.Storage.Sqlite.Migrations;

/// <summary>One step of the schema: applied once, in its own transaction, in version order.</summary>
/// <param name="Version">1, 2, 3…: the schema version after this step.</param>
/// <param name="Name">What the step does, from its file name.</param>
/// <param name="Sql">The statements.</param>
internal sealed record Migration(int Version, string Name, string Sql);

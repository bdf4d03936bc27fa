namespace Keywarden.Scanner;

/// <summary>How far a scan has come: files finished (scanned or skipped) and the bytes read from them.</summary>
public readonly record struct ScanProgress(long FilesScanned, long BytesScanned);

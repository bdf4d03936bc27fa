using System.Text.Json;

namespace Keywarden.Core.Requests;

/// <summary>
/// Reads a Marketing batch body with a forward-only reader: nothing proportional to the body is kept but the
/// canonical operations. Strict: Mailchimp's fields only, each once, of Mailchimp's types.
/// </summary>
internal static class BatchBodyReader
{
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    public static BatchCanonicalization Read(ReadOnlySpan<byte> utf8Json)
    {
        // RFC 8259 lets a parser ignore a byte order mark; the reader itself does not.
        if (utf8Json.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        var reader = new Utf8JsonReader(utf8Json, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Malformed("the body must be a JSON object");
            }

            List<CanonicalOperation>? operations = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("operations"u8))
                {
                    return Malformed("unknown field at the top level: only \"operations\" is defined");
                }

                if (operations is not null)
                {
                    return Malformed("\"operations\" appears twice");
                }

                if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                {
                    return Malformed("\"operations\" must be an array");
                }

                operations = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (operations.Count == RequestCanonicalizer.MaxBatchOperations)
                    {
                        return BatchCanonicalization.Fail(
                            CanonicalizationError.TooManyOperations,
                            $"a batch holds at most {RequestCanonicalizer.MaxBatchOperations} operations");
                    }

                    var index = operations.Count;
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return Invalid(index, "must be an object");
                    }

                    var failure = ReadOperation(ref reader, index, out var operation);
                    if (failure is { } f)
                    {
                        return f;
                    }

                    operations.Add(operation!);
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                return Malformed("the body is not a JSON object");
            }

            if (reader.Read())
            {
                return Malformed("content after the JSON object");
            }

            if (operations is null)
            {
                return Malformed("\"operations\" is missing");
            }

            if (operations.Count == 0)
            {
                return Malformed("\"operations\" is empty");
            }

            return new BatchCanonicalization(operations, CanonicalizationError.None, null);
        }
        catch (JsonException e)
        {
            return Malformed($"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }
        catch (InvalidOperationException)
        {
            // GetString on text that is not valid UTF-8.
            return Malformed("not valid UTF-8 JSON");
        }
    }

    private static BatchCanonicalization? ReadOperation(ref Utf8JsonReader reader, int index, out CanonicalOperation? operation)
    {
        operation = null;
        string? method = null;
        string? path = null;
        bool seenParams = false, seenBody = false, seenOperationId = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("method"u8))
            {
                if (!TryReadStringOnce(ref reader, ref method))
                {
                    return Invalid(index, "\"method\" must be a string, once");
                }
            }
            else if (reader.ValueTextEquals("path"u8))
            {
                if (!TryReadStringOnce(ref reader, ref path))
                {
                    return Invalid(index, "\"path\" must be a string, once");
                }
            }
            else if (reader.ValueTextEquals("params"u8))
            {
                if (!Once(ref seenParams) || !reader.Read() || reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.Null))
                {
                    return Invalid(index, "\"params\" must be an object, once");
                }

                reader.Skip();
            }
            else if (reader.ValueTextEquals("body"u8))
            {
                if (!Once(ref seenBody) || !reader.Read() || reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return Invalid(index, "\"body\" must be a string (the JSON body, encoded), once");
                }
            }
            else if (reader.ValueTextEquals("operation_id"u8))
            {
                if (!Once(ref seenOperationId) || !reader.Read() || reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return Invalid(index, "\"operation_id\" must be a string, once");
                }
            }
            else
            {
                return Invalid(index, "unknown field: Mailchimp defines method, path, params, body, operation_id");
            }
        }

        if (method is null || path is null)
        {
            return Invalid(index, "\"method\" and \"path\" are required");
        }

        var error = RequestCanonicalizer.CanonicalizeBatchOperation(method, path, out operation, out var detail);
        return error == CanonicalizationError.None
            ? null
            : Invalid(index, $"{error}: {detail}");
    }

    /// <summary>Reads a required string field into <paramref name="value"/>; false when it is not a string or was already read.</summary>
    private static bool TryReadStringOnce(ref Utf8JsonReader reader, ref string? value)
    {
        if (value is not null || !reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        value = reader.GetString()!;
        return true;
    }

    private static bool Once(ref bool seen)
    {
        if (seen)
        {
            return false;
        }

        seen = true;
        return true;
    }

    private static BatchCanonicalization Malformed(string detail) =>
        BatchCanonicalization.Fail(CanonicalizationError.MalformedBatch, detail);

    private static BatchCanonicalization Invalid(int index, string detail) =>
        BatchCanonicalization.Fail(CanonicalizationError.BatchOperationInvalid, $"operation {index}: {detail}");
}

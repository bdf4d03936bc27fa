namespace Keywarden.Sandbox;

/// <summary>Which HTTP statuses the Transactional (Mandrill) simulator gives its errors.</summary>
public enum TransactionalErrorStatusCodes
{
    /// <summary>Every error is HTTP 500 with the Mandrill error body.</summary>
    Legacy,

    /// <summary>Invalid_Key is 401, ValidationError is 400, other errors 500 (Mailchimp's 2023 change).</summary>
    Current,
}

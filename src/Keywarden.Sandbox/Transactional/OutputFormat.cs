namespace Keywarden.Sandbox.Transactional;

/// <summary>
/// The response format a Mandrill URL asks for with its suffix. JSON is the default; YAML is answered with JSON
/// text (JSON is valid YAML 1.2); PHP with serialize(); XML is refused (its exact shape is not simulated).
/// </summary>
internal enum OutputFormat
{
    Json,
    Yaml,
    Php,
    Xml,
}

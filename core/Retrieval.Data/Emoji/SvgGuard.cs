using System.Xml;

namespace Retrieval.Data.Emoji;

/// <summary>
/// Reads an SVG's XML once, before the renderer sees it: no DTD (so no entity expansion), a root &lt;svg&gt;, at most
/// <see cref="SvgLimits.MaxElements"/> elements, and no reference outside the file (href, url(...) or @import to
/// anything but a local #id), so rendering never opens a file or a network address.
/// </summary>
public static class SvgGuard
{
    /// <summary>Returns the document text when it passes; otherwise throws <see cref="SvgRejectedException"/> saying why.</summary>
    public static string Check(byte[] bytes, SvgLimits limits)
    {
        if (bytes.Length > limits.MaxBytes)
            throw new SvgRejectedException($"{bytes.Length} bytes is over the {limits.MaxBytes}-byte limit");
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = limits.MaxBytes,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        int elements = 0;
        bool inStyle = false;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    if (elements++ == 0 && reader.LocalName != "svg")
                        throw new SvgRejectedException($"root element is <{reader.LocalName}>, not <svg>");
                    if (elements > limits.MaxElements)
                        throw new SvgRejectedException($"more than {limits.MaxElements} elements");
                    inStyle = reader.LocalName == "style" && !reader.IsEmptyElement;
                    while (reader.MoveToNextAttribute())
                        CheckReference(reader.LocalName, reader.Value);
                    reader.MoveToElement();
                }
                else if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA && inStyle)
                    CheckReference("style", reader.Value);
                else if (reader.NodeType == XmlNodeType.EndElement)
                    inStyle = false;
            }
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (XmlException e)
        {
            throw new SvgRejectedException($"malformed XML: {e.Message}", e);
        }
    }

    private static void CheckReference(string name, string value)
    {
        if (name == "href" && !value.TrimStart().StartsWith('#'))
            throw new SvgRejectedException($"refers outside the file: href=\"{Shorten(value)}\"");
        if (value.Contains("@import", StringComparison.OrdinalIgnoreCase))
            throw new SvgRejectedException("refers outside the file: @import");
        for (int at = value.IndexOf("url(", StringComparison.OrdinalIgnoreCase); at >= 0;
             at = value.IndexOf("url(", at + 4, StringComparison.OrdinalIgnoreCase))
        {
            string target = value[(at + 4)..].TrimStart(' ', '\'', '"');
            if (!target.StartsWith('#'))
                throw new SvgRejectedException($"refers outside the file: url({Shorten(target)}");
        }
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "...";
}

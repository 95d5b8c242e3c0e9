using System.Globalization;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Text;

namespace Headroom.Compressors.Code;

/// <summary>
/// Applies elisions to a source file: text between them is copied (Kept spans). A long elided body
/// becomes one comment line carrying a full retrieval marker; shorter ones become a short note in the
/// language's own comment syntax (<c>// … 7 lines (body of Parse)</c>), and one marker at the end of the
/// file names the hash for all of them, so a cut never costs more tokens than the lines it removes.
/// </summary>
internal static class SkeletonWriter
{
    public static CompressorOutput Write(string input, IReadOnlyList<Elision> elisions, CodeLanguage language, string hash, int totalLines, int fullMarkerLines, int briefLines)
    {
        var output = new TrackedOutput(input.Length / 2);
        string comment = CodeLanguages.LineComment(language) + " ";
        bool lossy = false;
        int cursor = 0;
        int docLines = 0;
        int notedLines = 0;
        int notes = 0;
        foreach (var e in elisions)
        {
            output.Kept(input, cursor, e.Start);
            cursor = e.End;
            lossy = true;
            string what = e.Name is null ? "body" : "body of " + e.Name;
            bool full = e.Lines >= fullMarkerLines;
            switch (e.Kind)
            {
                case ElisionKind.DocLines:
                    docLines += e.Lines;
                    if (e.Suffix.Length > 0)
                    {
                        output.Summary(e.Indent + e.Suffix + "\n");
                    }

                    break;
                case ElisionKind.Body:
                    output.Summary(e.Indent + comment);
                    Note(e, what, full);
                    output.Summary("\n");
                    break;
                case ElisionKind.Initializer:
                    output.Summary(e.Indent + comment);
                    Note(e, e.Name is null ? "initializer" : "initializer of " + e.Name, full);
                    output.Summary("\n");
                    break;
                case ElisionKind.SimilarDeclarations:
                    notes++;
                    notedLines += e.Lines;
                    output.Summary(e.Indent + e.Suffix + "\n", e.Start, e.End);
                    break;
                case ElisionKind.LiteralLines:
                    // Inside the literal: plain text, no comment opener (it would be part of the string anyway).
                    output.Summary(e.Indent);
                    Note(e, "string literal", full);
                    output.Summary("\n");
                    break;
                case ElisionKind.PythonBodyAfterDoc:
                    if (e.Suffix.Length > 0)
                    {
                        output.Summary(e.Indent + e.Suffix + "\n");
                    }

                    output.Summary(e.Indent + "# ");
                    Note(e, what, full);
                    output.Summary("\n");
                    break;
                case ElisionKind.PythonBodyEllipsis:
                    output.Summary(e.Indent + "...  # ");
                    Note(e, what, full);
                    output.Summary("\n");
                    break;
            }
        }

        output.Kept(input, cursor, input.Length);
        if (docLines > 0 || notes > 0)
        {
            // One marker names the hash for every short note and trimmed doc comment, so nothing is dropped without a way back.
            string detail = notes == 0
                ? "doc comment lines after the first"
                : docLines == 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{notes} shorter parts marked … above")
                    : string.Create(CultureInfo.InvariantCulture, $"{notes} shorter parts marked … above, and doc comment lines after the first");
            output.Summary((output.EndsWithNewline ? "" : "\n") + comment);
            output.Marker(OmissionMarker.Lines(docLines + notedLines, totalLines, detail, hash), 0, input.Length);
            output.Summary("\n");
        }

        return output.Build(lossy);

        void Note(Elision e, string what, bool full)
        {
            if (full)
            {
                output.Marker(OmissionMarker.Lines(e.Lines, totalLines, what, hash), e.Start, e.End);
                return;
            }

            notes++;
            notedLines += e.Lines;
            // A few lines under a signature need no name or count: the signature above says whose they are.
            output.Summary(e.Lines <= briefLines ? "…" : string.Create(CultureInfo.InvariantCulture, $"… {e.Lines} lines ({what})"), e.Start, e.End);
        }
    }
}

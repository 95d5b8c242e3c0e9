using System.Globalization;
using System.Text;

namespace Headroom.Compressors.Tests.Code;

/// <summary>
/// Generated stand-ins for two files that broke the code compressor: a Go program dominated by a
/// backtick raw-string HTML template (0% saved), and a ~1,200-line Rust deserializer full of
/// lifetimes, generics, byte literals and macros (the output had more tokens than the input).
/// </summary>
internal static class KnownFailureFixtures
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string GoTemplate()
    {
        var sb = new StringBuilder();
        sb.Append("package report\n\nimport (\n\t\"html/template\"\n\t\"net/http\"\n)\n\n");
        sb.Append("// pageTemplate renders the status page; {{ }} are template actions, not Go braces.\n");
        sb.Append("const pageTemplate = `<!DOCTYPE html>\n<html>\n<head>\n<style>\n");
        for (int i = 0; i < 60; i++)
        {
            sb.Append(Inv, $".row-{i} {{ color: #{i:x2}{i:x2}{i:x2}; margin: {i}px; }} /* not a Go comment */\n");
        }

        sb.Append("</style>\n</head>\n<body>\n");
        for (int i = 0; i < 260; i++)
        {
            sb.Append(Inv, $"{{{{if .Section{i}}}}}<div class=\"row-{i % 60}\">{{{{.Title{i}}}}} \u2014 it's '{{{{printf \"%d\" .Count{i}}}}}' items</div>{{{{end}}}}\n");
        }

        sb.Append("</body>\n</html>\n`\n\n");
        sb.Append("var page = template.Must(template.New(\"page\").Parse(pageTemplate))\n\n");
        sb.Append("// Handler serves the page.\nfunc Handler(w http.ResponseWriter, r *http.Request) {\n");
        for (int i = 0; i < 12; i++)
        {
            sb.Append(Inv, $"\tif r.URL.Query().Get(\"s{i}\") == \"1\" {{\n\t\tw.Header().Set(\"X-Section-{i}\", \"on\")\n\t}}\n");
        }

        sb.Append("\t_ = page.Execute(w, nil)\n}\n\nfunc rune0() rune {\n\treturn '`'\n}\n");
        return sb.ToString();
    }

    public static string RustDeserializer()
    {
        var sb = new StringBuilder();
        sb.Append("//! A streaming deserializer for a JSON-like format.\n\nuse std::borrow::Cow;\nuse std::fmt;\nuse std::marker::PhantomData;\n\n");
        sb.Append("use serde::de::{self, DeserializeSeed, Expected, MapAccess, SeqAccess, Unexpected, Visitor};\n\n");
        sb.Append("/// Errors while reading.\n#[derive(Debug, Clone, PartialEq)]\npub enum Error {\n    Eof,\n    Syntax { line: usize, column: usize },\n    Custom(String),\n}\n\n");
        sb.Append("pub type Result<T> = std::result::Result<T, Error>;\n\n");
        sb.Append("/// The input, borrowed for `'de`.\npub struct Deserializer<'de, R: Read<'de> = SliceRead<'de>> {\n    read: R,\n    scratch: Vec<u8>,\n    depth: u8,\n    _marker: PhantomData<&'de ()>,\n}\n\n");
        sb.Append("pub trait Read<'de> {\n    fn next(&mut self) -> Result<Option<u8>>;\n    fn peek(&mut self) -> Result<Option<u8>>;\n    fn parse_str<'s>(&'s mut self, scratch: &'s mut Vec<u8>) -> Result<Reference<'de, 's, str>>;\n}\n\n");
        sb.Append("pub enum Reference<'b, 'c, T: ?Sized + 'static> {\n    Borrowed(&'b T),\n    Copied(&'c T),\n}\n\n");
        sb.Append("pub struct SliceRead<'a> {\n    slice: &'a [u8],\n    index: usize,\n}\n\n");
        sb.Append("impl<'a> SliceRead<'a> {\n    pub fn new(slice: &'a [u8]) -> Self {\n        SliceRead { slice, index: 0 }\n    }\n\n");
        sb.Append("    fn position_of_index(&self, i: usize) -> (usize, usize) {\n        let mut line = 1;\n        let mut column = 0;\n        for ch in &self.slice[..i] {\n            match *ch {\n                b'\\n' => {\n                    line += 1;\n                    column = 0;\n                }\n                _ => column += 1,\n            }\n        }\n        (line, column)\n    }\n}\n\n");
        sb.Append("macro_rules! tri {\n    ($e:expr $(,)?) => {\n        match $e {\n            core::result::Result::Ok(val) => val,\n            core::result::Result::Err(err) => return core::result::Result::Err(err),\n        }\n    };\n}\n\n");
        sb.Append("macro_rules! deserialize_number {\n    ($method:ident => $visit:ident) => {\n        fn $method<V>(self, visitor: V) -> Result<V::Value>\n        where\n            V: de::Visitor<'de>,\n        {\n            let value = tri!(self.parse_integer(true));\n            visitor.$visit(value as _)\n        }\n    };\n}\n\n");
        sb.Append("impl<'de, R: Read<'de>> Deserializer<'de, R> {\n");
        string[] escapes = ["b'\"' => self.scratch.push(b'\"'),", "b'\\\\' => self.scratch.push(b'\\\\'),", "b'/' => self.scratch.push(b'/'),", "b'b' => self.scratch.push(b'\\x08'),", "b'{' => self.scratch.push(b'{'),", "b'}' => self.scratch.push(b'}'),"];
        for (int m = 0; m < 16; m++)
        {
            sb.Append(Inv, $"    /// Parses part {m} of the input.\n    fn parse_part_{m}<'s>(&'s mut self, expected: &'static str) -> Result<Cow<'de, str>>\n    where\n        R: 's,\n    {{\n");
            sb.Append("        let mut buf: Vec<u8> = Vec::with_capacity(16);\n        'outer: loop {\n            let ch = match tri!(self.read.next()) {\n                Some(ch) => ch,\n                None => return Err(Error::Eof),\n            };\n            match ch {\n");
            foreach (var e in escapes)
            {
                sb.Append("                ").Append(e).Append('\n');
            }

            sb.Append(Inv, $"                b'\\'' if buf.is_empty() => break 'outer,\n                _ => buf.push(ch.wrapping_add({m})),\n            }}\n        }}\n        let text = String::from_utf8(buf).map_err(|_| Error::Custom(format!(\"bad utf-8 in {{}}: {{:?}}\", expected, r#\"{m}\"#)))?;\n        Ok(Cow::Owned(text))\n    }}\n\n");
        }

        sb.Append("    fn parse_integer(&mut self, positive: bool) -> Result<u64> {\n        let mut n: u64 = 0;\n        while let Some(c @ b'0'..=b'9') = tri!(self.read.peek()) {\n            n = n * 10 + u64::from(c - b'0');\n            tri!(self.read.next());\n        }\n        Ok(if positive { n } else { n.wrapping_neg() })\n    }\n}\n\n");
        sb.Append("impl<'de, 'a, R: Read<'de>> de::Deserializer<'de> for &'a mut Deserializer<'de, R> {\n    type Error = Error;\n\n");
        string[] ints = ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "i128", "u128"];
        foreach (var t in ints)
        {
            sb.Append(Inv, $"    deserialize_number!(deserialize_{t} => visit_{t});\n");
        }

        string[] kinds = ["any", "bool", "f32", "f64", "char", "str", "string", "bytes", "byte_buf", "option", "unit", "seq", "map", "identifier", "ignored_any"];
        foreach (var k in kinds)
        {
            sb.Append(Inv, $"\n    fn deserialize_{k}<V>(self, visitor: V) -> Result<V::Value>\n    where\n        V: de::Visitor<'de>,\n    {{\n");
            sb.Append(Inv, $"        let peek = match tri!(self.read.peek()) {{\n            Some(b) => b,\n            None => return Err(Error::Eof),\n        }};\n        let value = match peek {{\n            b'n' => {{\n                tri!(self.read.next());\n                visitor.visit_unit()\n            }}\n            b'\"' => {{\n                self.scratch.clear();\n                match tri!(self.read.parse_str(&mut self.scratch)) {{\n                    Reference::Borrowed(s) => visitor.visit_borrowed_str(s),\n                    Reference::Copied(s) => visitor.visit_str(s),\n                }}\n            }}\n            b'[' | b'{{' => Err(de::Error::invalid_type(Unexpected::Other(\"{k} container }}\"), &visitor)),\n            _ => Err(Error::Syntax {{ line: 0, column: 0 }}),\n        }};\n        value\n    }}\n");
        }

        sb.Append("\n    serde::forward_to_deserialize_any! {\n        unit_struct newtype_struct tuple tuple_struct struct enum\n    }\n}\n\n");
        for (int v = 0; v < 12; v++)
        {
            sb.Append(Inv, $"struct Visitor{v}<'a, T> {{\n    marker: PhantomData<&'a T>,\n}}\n\n");
            sb.Append(Inv, $"impl<'de, 'a, T> Visitor<'de> for Visitor{v}<'a, T>\nwhere\n    T: de::Deserialize<'de> + 'a,\n{{\n    type Value = Vec<T>;\n\n    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {{\n        f.write_str(\"a sequence {{ of {v} }}\")\n    }}\n\n");
            sb.Append("    fn visit_seq<A>(self, mut seq: A) -> std::result::Result<Self::Value, A::Error>\n    where\n        A: SeqAccess<'de>,\n    {\n        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));\n        while let Some(item) = seq.next_element()? {\n            out.push(item);\n        }\n        if out.len() > 1 << 20 {\n            return Err(de::Error::invalid_length(out.len(), &\"fewer items\"));\n        }\n        Ok(out)\n    }\n}\n\n");
        }

        sb.Append("#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn raw_strings_and_lifetimes() {\n        let input = br#\"{\"a\": \"}\", 'b': [1, 2]}\"#;\n        let mut de = SliceRead::new(input);\n        assert_eq!(de.position_of_index(3), (1, 3));\n        let s: &'static str = r##\"a \"# { b\"##;\n        assert!(s.contains('{'));\n    }\n}\n");
        return sb.ToString();
    }
}

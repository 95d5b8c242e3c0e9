using System.Text.RegularExpressions;

namespace Headroom.Compressors.Detection;

/// <summary>Per-language line patterns and weights for recognising source code.</summary>
internal static partial class LanguageRules
{
    public static readonly (string Language, Regex Pattern, int Weight)[] Rules =
    [
        ("csharp", CSharp(), 3),
        ("python", Python(), 3),
        ("go", Go(), 3),
        ("java", Java(), 3),
        ("rust", Rust(), 3),
        ("typescript", TypeScript(), 3),
        ("javascript", JavaScript(), 2),
        ("c", C(), 3),
        ("cpp", Cpp(), 3),
        ("shell", Shell(), 2),
    ];

    /// <summary>Lines that look like code in any language: end in ; { } ) , or open with a keyword.</summary>
    [GeneratedRegex(@"(?:[;{}(),\[\]]\s*$|^\s*(?:[}\])]|//|/\*|\*\s|#include|#define|@[A-Za-z]+|import |from \S+ import|package |using |namespace |def |class |fn |func |function |const |let |var |return\b|if \(|if .*:$|for \(|for .* in .*:$|while |else\b|elif |try:|except|public |private |protected |static |struct |enum |impl |pub |type |interface |export |async |await ))", RegexOptions.CultureInvariant)]
    public static partial Regex CodeLine();

    [GeneratedRegex(@"^\s*(?:using System[\w.]*;|namespace [\w.]+|(?:public|internal|private|protected)(?: (?:sealed|static|abstract|partial|readonly|override|async|virtual))* (?:class|record|struct|interface|enum|void|Task|string|int|bool|var) |\{ get; |.*\bvar \w+ = new\b|.*=> [^;]*;$|\[Fact\]|\[Theory\]|.*\bawait .*ConfigureAwait)", RegexOptions.CultureInvariant)]
    private static partial Regex CSharp();

    [GeneratedRegex(@"^\s*(?:def \w+\(.*\)(?: -> .+)?:$|class \w+(?:\(.*\))?:$|import \w+(?:\.\w+)*(?: as \w+)?$|from [\w.]+ import |elif .*:$|except(?: \w+)?.*:$|try:$|with .* as \w+:$|if __name__ ==|.*\bself\.\w+|@\w+(?:\.\w+)*(?:\(.*\))?$|\""""|raise \w+|yield\b|lambda \w*:|print\()", RegexOptions.CultureInvariant)]
    private static partial Regex Python();

    [GeneratedRegex(@"^\s*(?:package \w+$|func (?:\(\w+ \*?\w+\) )?\w+\(|import \($|.*\w+ := |.*\berr != nil\b|.*\bfmt\.\w+\(|type \w+ (?:struct|interface) \{|defer |go func|chan \w+|select \{)", RegexOptions.CultureInvariant)]
    private static partial Regex Go();

    [GeneratedRegex(@"^\s*(?:package [\w.]+;$|import (?:static )?java[x]?\.[\w.*]+;$|import [\w.]+\.[A-Z]\w*;$|@Override$|(?:public|private|protected)(?: (?:static|final|abstract|synchronized|native|transient))* (?:class|interface|enum|void|boolean|int|long|String|Object|[A-Z]\w*(?:<.*>)?) \w+|.*\bSystem\.out\.|.*\bthrows \w+|.*\bnew [A-Z]\w*(?:<.*>)?\(.*\);$|\* @(?:param|return|throws|since|see|author)\b)", RegexOptions.CultureInvariant)]
    private static partial Regex Java();

    [GeneratedRegex(@"^\s*(?:(?:pub(?:\(crate\))? )?(?:unsafe )?(?:const )?fn \w+|let mut |impl(?:<.*>)? [\w:<>]+|use (?:std|core|alloc|crate|super|self)::|#\[(?:derive|cfg|inline|test|stable|unstable|must_use|doc)|#!\[|.*&(?:mut )?self\b|.*\bOption<|.*\bResult<|.*\bunwrap\(\)|match .* \{$|mod \w+;|pub struct |pub enum |/// |//! )", RegexOptions.CultureInvariant)]
    private static partial Regex Rust();

    [GeneratedRegex(@"^\s*(?:(?:export )?(?:interface|type) \w+(?:<.*>)? (?:=|\{)|.*\): (?:void|string|number|boolean|Promise<.*>|Observable<.*>|[A-Z]\w*(?:<.*>)?) \{$|(?:export )?(?:declare )?(?:abstract )?class \w+(?:<.*>)? (?:implements|extends)|.*\b(?:private|public|protected|readonly) \w+: |import .* from '[^']+';$|import type |.*: (?:string|number|boolean|unknown|any)(?:\[\])?[;,)=]|export (?:function|const|class|default|\*))", RegexOptions.CultureInvariant)]
    private static partial Regex TypeScript();

    [GeneratedRegex(@"^\s*(?:(?:var|const|let) \w+ = require\(|module\.exports|exports\.\w+ =|function \w*\(.*\) \{$|.*\bfunction\s*\(|'use strict';?|.*\bthis\.\w+ = |.*\bconsole\.log\(|.*=== |.*!== |.*\bprototype\.)", RegexOptions.CultureInvariant)]
    private static partial Regex JavaScript();

    [GeneratedRegex(@"^\s*(?:#include <\w+\.h>|#include ""|#define \w+|#ifn?def |#endif|(?:static |extern |const |unsigned |struct )*(?:int|void|char|long|size_t|uint\d+_t|double|float) \*?\w+\(.*\)\s*\{?$|.*\bprintf\(|.*\bmalloc\(|.*->\w+|typedef )", RegexOptions.CultureInvariant)]
    private static partial Regex C();

    [GeneratedRegex(@"^\s*(?:#include <\w+>$|.*\bstd::|template ?<|.*\bnullptr\b|namespace \w+ \{|class \w+ : public |.*::\w+\(.*\)\s*(?:const)?\s*\{?$|using namespace )", RegexOptions.CultureInvariant)]
    private static partial Regex Cpp();

    [GeneratedRegex(@"^\s*(?:#!/(?:usr/)?bin/(?:env )?(?:ba|z)?sh|(?:if|while) \[\[? .* \]\]?; then|fi$|done$|esac$|.*\$\{\w+(?::-.*)?\}|export \w+=|set -[euxo]+|echo ""|local \w+=)", RegexOptions.CultureInvariant)]
    private static partial Regex Shell();
}

using System.Text;

namespace Headroom.Compressors.Tests.Code;

/// <summary>Small committed sources with long bodies, built so each file passes the 80-line threshold.</summary>
internal static class CodeFixtures
{
    public static string Lines(string indent, string template, int count)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            sb.Append(indent).Append(template.Replace("#", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).Append('\n');
        }

        return sb.ToString();
    }

    public static string CSharp() => $$"""
        using System;
        using System.Collections.Generic;

        namespace Demo.Parsing;

        /// <summary>
        /// Parses configuration files.
        /// Second line of the summary that should go.
        /// </summary>
        [Serializable]
        public sealed class ConfigParser
        {
            private readonly Dictionary<string, string> _values = new();

            /// <summary>
            /// Parses one line.
            /// </summary>
            /// <param name="line">The line.</param>
            [Obsolete("use ParseAll")]
            public bool ParseLine(string line)
            {
        {{Lines("        ", "if (line.Length == #) { _values[\"k#\"] = \"{ not a brace }\"; }", 30)}}
                return true;
            }

            public int Count
            {
                get
                {
        {{Lines("            ", "var unused# = _values.Count + #;", 10)}}
                    return _values.Count;
                }
            }

            public IEnumerable<string> HandleRetryBackoff(int attempts)
            {
        {{Lines("        ", "yield return \"attempt #\";", 25)}}
            }

            public string Short() => "short";
        }
        """;

    public static string Python() => $$""""
        import os
        from typing import List


        def top_level(a, b):
            '''Add two numbers.

            Longer explanation that goes away.
            '''
        {{Lines("    ", "a = a + # + b", 20)}}
            return a


        @decorator(option=True)
        class Greeter:
            """Greets people.

            More details.
            More details.
            """

            def __init__(self, name):
        {{Lines("        ", "self.v# = name", 10)}}

            @property
            def handle_retry_backoff(self):
                x = '''
        not code: def fake():
        '''
        {{Lines("        ", "x += str(#)", 10)}}
                return x

            async def fetch(self,
                            url: str) -> List[str]:
                """Fetch a URL."""
        {{Lines("        ", "await self.step(#)", 12)}}
                return []


        if __name__ == "__main__":
            print(top_level(1, 2))
        """";

    public static string JavaScript() => $$"""
        'use strict';
        const re = /[{]+/g;
        const tpl = `value: ${ { a: 1 }.a } and a brace { inside`;

        /**
         * Creates the app.
         * More docs.
         * More docs.
         * @returns {App}
         */
        function createApp(options) {
        {{Lines("  ", "const s# = `${options.x} } {`; // brace } in comment", 40)}}
          return { ok: true };
        }

        class Router {
          constructor() {
        {{Lines("    ", "this.r# = '{';", 10)}}
          }

          handleRetryBackoff(req) {
        {{Lines("    ", "if (req.n === #) { return \"}\"; }", 12)}}
          }
        }

        module.exports = { createApp, Router };
        """;

    public static string Go() => $$"""
        package demo

        import "fmt"

        // Server serves.
        type Server struct {
        	Name string
        }

        // Start starts the server.
        func (s *Server) Start(port int) error {
        {{Lines("\t", "fmt.Println(`raw { string`, '{', #)", 30)}}
        	return nil
        }

        func helper() {
        {{Lines("\t", "fmt.Println(\"}\", #)", 40)}}
        }
        """;

    public static string Rust() => $$"""
        use std::fmt;

        /// A parser.
        /// With more docs.
        /// And more.
        pub struct Parser<'a> {
            input: &'a str,
        }

        impl<'a> Parser<'a> {
            pub fn new(input: &'a str) -> Self {
        {{Lines("        ", "let c# = '{'; let s# = r#\"}\"#;", 30)}}
                Parser { input }
            }

            fn lifetimes<'b>(&'b self) -> &'b str where 'a: 'b {
        {{Lines("        ", "let _x# = b'}';", 30)}}
                self.input
            }
        }
        """;
}

import KubeglassCore
import Testing

@testable import Query

@Suite struct ParserTests {
    @Test(arguments: [
        ("2 ^ 3 ^ 2", "(2 ^ (3 ^ 2))"),
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("10 - 2 - 3", "((10 - 2) - 3)"),
        ("a * b / c % d atan2 e", "((((a * b) / c) % d) atan2 e)"),
        ("a + b > c - d", "((a + b) > (c - d))"),
        ("a or b and c", "(a or (b and c))"),
        ("a and b or c unless d", "((a and b) or (c unless d))"),
        ("a unless b and c", "((a unless b) and c)"),
        ("a == b != c", "((a == b) != c)"),
        ("-a ^ 2", "-(a ^ 2)"),
        ("-a * b", "(-a * b)"),
        ("a / -b ^ c", "(a / -(b ^ c))"),
        ("(a + b) * c", "((a + b) * c)"),
        ("a > bool b + 1", "(a > bool (b + 1))"),
    ])
    func precedenceAndAssociativity(_ text: String, _ grouped: String) throws {
        #expect(shape(try PromQL.parse(text)) == grouped)
    }

    @Test func numberLiterals() throws {
        let cases: [(String, Double)] = [
            ("1e3", 1000), ("0x1F", 31), ("0X10", 16), (".5", 0.5), ("1.5e-3", 0.0015),
            ("Inf", .infinity), ("-inf", -.infinity), ("+Inf", .infinity), ("42", 42),
        ]
        for (text, value) in cases {
            guard case .number(let n) = try PromQL.parse(text) else {
                Issue.record("\(text) is not a number literal")
                continue
            }
            #expect(n == value, "\(text)")
        }
        guard case .number(let nan) = try PromQL.parse("NaN") else {
            Issue.record("NaN")
            return
        }
        #expect(nan.isNaN)
    }

    @Test func stringsWithEscapes() throws {
        #expect(try PromQL.parse(#""a\"b\n\t\\ \x41\u00e9\101""#) == .string("a\"b\n\t\\ Aé" + "A"))
        #expect(try PromQL.parse("'it\\'s'") == .string("it's"))
        #expect(try PromQL.parse("`raw\\n`") == .string("raw\\n"))
    }

    @Test func selectorsAndModifiers() throws {
        let e = try PromQL.parse(
            #"http_requests_total{job="api", code=~"5..", path!="/", method!~"GET|HEAD",}[5m] offset 1h"#)
        guard case .matrixSelector(let vs, let range) = e else {
            Issue.record("not a matrix selector")
            return
        }
        #expect(range == 300_000)
        #expect(vs.offset == Milliseconds.hour)
        #expect(vs.name == "http_requests_total")
        #expect(
            vs.matchers.map(\.description) == [
                #"__name__="http_requests_total""#, #"job="api""#, #"code=~"5..""#, #"path!="/""#,
                #"method!~"GET|HEAD""#,
            ])
        guard case .vectorSelector(let byName) = try PromQL.parse(#"{__name__=~"node_.*", job="x"}"#) else {
            Issue.record("not a selector")
            return
        }
        #expect(byName.name == nil)
        guard case .vectorSelector(let at) = try PromQL.parse("foo @ 1700000000.5 offset -5m") else {
            Issue.record("at")
            return
        }
        #expect(at.at == .time(1_700_000_000_500))
        #expect(at.offset == -300_000)
        guard case .matrixSelector(_, let long) = try PromQL.parse("foo[1h30m]") else {
            Issue.record("1h30m")
            return
        }
        #expect(long == 5_400_000)
    }

    @Test func aggregationGroupingInBothPositions() throws {
        let before = try PromQL.parse("sum by (node, pod) (rate(x[5m]))")
        let after = try PromQL.parse("sum(rate(x[5m])) by (node, pod)")
        #expect(before == after)
        guard case .aggregate(let a) = before else {
            Issue.record("not an aggregation")
            return
        }
        #expect(a.grouping == ["node", "pod"])
        #expect(!a.without)
        guard case .aggregate(let w) = try PromQL.parse("avg without (cpu) (x)") else {
            Issue.record("without")
            return
        }
        #expect(w.without && w.grouping == ["cpu"])
        guard case .aggregate(let k) = try PromQL.parse("topk(5, x)") else {
            Issue.record("topk")
            return
        }
        #expect(k.param == .number(5))
        #expect(try PromQL.parse("SUM(x)") == PromQL.parse("sum(x)"))
    }

    @Test func vectorMatchingModifiers() throws {
        guard case .binary(let b) = try PromQL.parse("a * on (x, y) group_left (z) b") else {
            Issue.record("binary")
            return
        }
        #expect(b.matching?.on == true)
        #expect(b.matching?.labels == ["x", "y"])
        #expect(b.matching?.cardinality == .manyToOne)
        #expect(b.matching?.include == ["z"])
        guard case .binary(let c) = try PromQL.parse("a / ignoring(cpu) group_right b") else {
            Issue.record("binary")
            return
        }
        #expect(c.matching?.on == false && c.matching?.cardinality == .oneToMany)
        guard case .binary(let d) = try PromQL.parse("a and b") else {
            Issue.record("and")
            return
        }
        #expect(d.matching?.cardinality == .manyToMany)
    }

    @Test(arguments: [
        "sum by (a) (rate(x{job=\"j\"}[5m] offset 1m))",
        "a + on(b) group_left(c) d",
        "-x ^ 2 > bool 3",
        "topk(3, sum without (cpu) (irate(node_cpu_seconds_total{mode!=\"idle\"}[1m])))",
        "label_replace(up, \"dst\", \"$1\", \"src\", \"(.*)\")",
        "histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))",
        "foo @ 1700000000.123",
        "max_over_time(rate(x[1m])[10m:30s])",
        "count_values(\"v\", x) or vector(1)",
        "{__name__=~\"a|b\"} unless ignoring(x) c",
    ])
    func descriptionParsesBackToTheSameExpression(_ text: String) throws {
        let e = try PromQL.parse(text)
        #expect(try PromQL.parse(e.description) == e, "\(e.description)")
    }

    @Test(arguments: [
        ("sum(foo", "1:8: parse error: unclosed left parenthesis"),
        ("sum(", "1:5: parse error: unclosed left parenthesis"),
        ("foo +", "1:6: parse error: unexpected end of input"),
        ("foo)", "1:4: parse error: unexpected right parenthesis ')'"),
        (#"foo{a="b""#, "1:10: parse error: unexpected end of input inside braces"),
        ("foo[5m", "1:7: parse error: unexpected end of input inside brackets"),
        ("{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        (#"{a=""}"#, "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        (#""abc"#, "1:1: parse error: unterminated quoted string"),
        ("foo +\n  bar baz", "2:7: parse error: unexpected identifier \"baz\""),
        ("1 > 2", "1:3: parse error: comparisons between scalars must use BOOL modifier"),
        ("foo[5m] + 1", "1:9: parse error: binary expression must contain only scalar and instant vector types"),
        ("(foo)[5m]", "1:6: parse error: ranges only allowed for vector selectors"),
        ("rate(foo)", "1:1: parse error: expected type range vector in call to function \"rate\", got instant vector"),
        ("rate(foo[5m], 1)", "1:1: parse error: expected 1 argument(s) in call to \"rate\", got 2"),
        ("nope(foo)", "1:1: parse error: unknown function with name \"nope\""),
        ("sum(foo[5m])", "1:1: parse error: expected type instant vector in aggregation expression, got range vector"),
        (
            "topk(foo)",
            "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1"
        ),
        ("1 and 2", "1:3: parse error: set operator \"and\" not allowed in binary scalar expression"),
        ("a + bool b", "1:5: parse error: bool modifier can only be used on comparison operators"),
        ("a and on(x) group_left b", "1:3: parse error: no grouping allowed for \"and\" operation"),
        ("1 + on(x) foo", "1:3: parse error: vector matching only allowed between instant vectors"),
        (
            "sum(x) offset 5m",
            "1:8: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"
        ),
        (#"foo{__name__="bar"}"#, "1:14: parse error: metric name must not be set twice: \"foo\" or \"bar\""),
        ("foo{a=~\"(\"}", "1:8: parse error: invalid regular expression \"(\""),
        ("5x", "1:1: parse error: bad number or duration syntax: \"5x\""),
        ("", "1:1: parse error: no expression found in input"),
        ("foo # a comment\n)", "2:1: parse error: unexpected right parenthesis ')'"),
    ])
    func parseErrorsHavePositions(_ text: String, _ expected: String) {
        #expect(parseError(text) == expected)
    }

    @Test func deepNestingIsRefusedNotCrashing() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(parseError(deep)?.contains("nested too deeply") == true)
        let unary = String(repeating: "-", count: 5000) + "1"
        #expect(parseError(unary)?.contains("nested too deeply") == true)
        let calls = String(repeating: "abs(", count: 5000) + "x" + String(repeating: ")", count: 5000)
        #expect(parseError(calls)?.contains("nested too deeply") == true)
        let fine = String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150)
        #expect(parseError(fine) == nil)
    }

    @Test func unsupportedFunctionsSaySo() {
        #expect(
            parseError("holt_winters(x[5m], 0.5, 0.5)")
                == "1:1: parse error: function \"holt_winters\" is not supported by the local query engine")
    }
}

import TestSupport
import Testing

@testable import TerminalUI

/// Each span as `kind:text`, so expectations read like the query.
private func tokens(_ text: String, _ language: QueryLanguage = .promql) -> [String] {
    let chars = Array(text)
    return QueryHighlighter.spans(text, language: language).map { "\($0.kind):\(String(chars[$0.range]))" }
}

@Suite struct QueryHighlighterTests {
    @Test func promqlSelectorWithFunctionsAndGrouping() {
        #expect(
            tokens(#"sum by (pod) (rate(container_cpu_usage_seconds_total{namespace=~"kube-.*",pod!=""}[5m]))"#) == [
                "function:sum", "keyword:by", "punctuation:(", "labelName:pod", "punctuation:)", "punctuation:(",
                "function:rate", "punctuation:(", "metric:container_cpu_usage_seconds_total", "punctuation:{",
                "labelName:namespace", "operator:=~", #"string:"kube-.*""#, "punctuation:,", "labelName:pod",
                "operator:!=", #"string:"""#, "punctuation:}", "punctuation:[", "duration:5m", "punctuation:]",
                "punctuation:)", "punctuation:)",
            ])
    }

    @Test func promqlBinaryOperatorsKeywordsNumbersAndComments() {
        #expect(
            tokens("a / on(node) group_left b > bool 0.5e-3 offset 1h30m # why\nc:rate5m unless d") == [
                "metric:a", "operator:/", "keyword:on", "punctuation:(", "labelName:node", "punctuation:)",
                "keyword:group_left", "metric:b", "operator:>", "keyword:bool", "number:0.5e-3", "keyword:offset",
                "duration:1h30m", "comment:# why", "metric:c:rate5m", "keyword:unless", "metric:d",
            ])
    }

    @Test func overTimeFunctionsAndHistogramQuantile() {
        #expect(
            tokens("histogram_quantile(0.99, max_over_time(x[1m:10s]))") == [
                "function:histogram_quantile", "punctuation:(", "number:0.99", "punctuation:,",
                "function:max_over_time", "punctuation:(", "metric:x", "punctuation:[", "duration:1m",
                "punctuation::", "duration:10s", "punctuation:]", "punctuation:)", "punctuation:)",
            ])
        #expect(tokens("time{job=\"x\"}").first == "metric:time")
    }

    @Test func variables() {
        #expect(
            tokens("rate(x{node=~\"$node\"}[$__interval]) / ${scale:raw} + $x") == [
                "function:rate", "punctuation:(", "metric:x", "punctuation:{", "labelName:node", "operator:=~",
                "string:\"$node\"", "punctuation:}", "punctuation:[", "variable:$__interval", "punctuation:]",
                "punctuation:)", "operator:/", "variable:${scale:raw}", "operator:+", "variable:$x",
            ])
    }

    @Test func influxqlHeapsterQuery() {
        let q =
            #"SELECT mean("value") FROM "cpu/usage_rate" WHERE "nodename" =~ /^$node$/ AND $timeFilter GROUP BY time($__interval), "nodename" fill(null)"#
        #expect(
            tokens(q, .influxql) == [
                "keyword:SELECT", "function:mean", "punctuation:(", "identifier:\"value\"", "punctuation:)",
                "keyword:FROM", "identifier:\"cpu/usage_rate\"", "keyword:WHERE", "identifier:\"nodename\"",
                "operator:=~", "string:/^$node$/", "keyword:AND", "variable:$timeFilter", "keyword:GROUP",
                "keyword:BY", "keyword:time", "punctuation:(", "variable:$__interval", "punctuation:)",
                "punctuation:,", "identifier:\"nodename\"", "keyword:fill", "punctuation:(", "keyword:null",
                "punctuation:)",
            ])
        #expect(
            tokens("select a/2 -- note\nfrom m where x = 'v' or [[node]]", .influxql) == [
                "keyword:select", "identifier:a", "operator:/", "number:2", "comment:-- note", "keyword:from",
                "identifier:m", "keyword:where", "identifier:x", "operator:=", "string:'v'", "keyword:or",
                "variable:[[node]]",
            ])
    }

    @Test func unterminatedStringsStopAtTheLineEnd() {
        #expect(
            tokens("up{a=\"b\nc") == [
                "metric:up", "punctuation:{", "labelName:a", "operator:=", "string:\"b", "labelName:c",
            ])
        #expect(tokens("x `raw\nstill") == ["metric:x", "string:`raw\nstill"])
        #expect(tokens("\"esc\\\"aped\" 1") == ["string:\"esc\\\"aped\"", "number:1"])
        #expect(tokens("'\\") == ["string:'\\"])
    }

    @Test func unknownCharactersAreLeftUncoloured() {
        #expect(tokens("日本 ☃ up") == ["metric:日本", "metric:up"])
        #expect(tokens("?? ~ up") == ["metric:up"])
    }

    @Test func neverCrashesAndSpansStayOrderedOnRandomInput() {
        var rng = SplitMix64(state: 42)
        let alphabet = Array("abcxyz_019.:$#{}[]()\"'`\\/=!~<>+-*^%@, \n\t日☃é\u{301}👍🏽-eE[]") + ["\r\n"]
        for round in 0..<400 {
            let length = Int(rng.next() % 60)
            let text = String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            for language in [QueryLanguage.promql, .influxql] {
                let spans = QueryHighlighter.spans(text, language: language)
                var end = 0
                for span in spans {
                    #expect(
                        span.range.lowerBound >= end && !span.range.isEmpty, "round \(round): \(text.debugDescription)")
                    end = span.range.upperBound
                }
                #expect(end <= text.count)
            }
        }
    }
}

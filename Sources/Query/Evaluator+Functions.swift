import Foundation
import KubeglassCore

extension Evaluator {
    func evalCall(_ c: Call) throws(QueryError) -> Value {
        let name = c.function.name
        if let index = c.function.argTypes.firstIndex(of: .matrix) {
            return .vector(try evalRangeFunction(c, matrixArgument: index))
        }
        switch name {
        case "time": return .scalar(steps.map { Double($0) / 1000 })
        case "vector":
            let v = try evalScalar(c.args[0])
            return .vector([StepSeries(labels: Labels(), values: v, present: Array(repeating: true, count: count))])
        case "scalar":
            let input = try evalVector(c.args[0])
            return .scalar(
                (0..<count).map { i in
                    var found: Double?
                    var seen = 0
                    for s in input where s.present[i] {
                        seen += 1
                        found = s.values[i]
                    }
                    return seen == 1 ? found! : .nan
                })
        case "timestamp": return .vector(try timestamps(c.args[0]))
        case "sort", "sort_desc":
            let input = try evalVector(c.args[0])
            guard count == 1 else { return .vector(input) }
            let descending = name == "sort_desc"
            return .vector(
                input.sorted { x, y in
                    let a = x.values[0]
                    let b = y.values[0]
                    if a.isNaN { return false }
                    if b.isNaN { return true }
                    return descending ? a > b : a < b
                })
        case "absent":
            let input = try evalVector(c.args[0])
            var r = StepSeries(labels: absentLabels(c.args[0]), count: count)
            for i in 0..<count where !input.contains(where: { $0.present[i] }) { r.set(i, 1) }
            return .vector(r.isEmpty ? [] : [r])
        case "label_replace": return .vector(try labelReplace(c))
        case "label_join": return .vector(try labelJoin(c))
        case "histogram_quantile": return .vector(try histogramQuantile(c))
        default:
            return .vector(try mathFunction(c))
        }
    }

    /// Functions applied value by value; they all drop the metric name.
    private func mathFunction(_ c: Call) throws(QueryError) -> [StepSeries] {
        let input = try evalVector(c.args[0])
        let extra = try c.args.dropFirst().map { (e: Expr) throws(QueryError) -> [Double] in try evalScalar(e) }
        let f: (Double, Int) -> Double?
        switch c.function.name {
        case "abs": f = { v, _ in abs(v) }
        case "ceil": f = { v, _ in v.rounded(.up) }
        case "floor": f = { v, _ in v.rounded(.down) }
        case "exp": f = { v, _ in Foundation.exp(v) }
        case "ln": f = { v, _ in Foundation.log(v) }
        case "log2": f = { v, _ in Foundation.log2(v) }
        case "log10": f = { v, _ in Foundation.log10(v) }
        case "sqrt": f = { v, _ in v.squareRoot() }
        case "sgn": f = { v, _ in v < 0 ? -1 : (v > 0 ? 1 : v) }
        case "round":
            let nearest = extra.first
            f = { v, i in
                let inverse = 1 / (nearest?[i] ?? 1)
                return (v * inverse + 0.5).rounded(.down) / inverse
            }
        case "clamp":
            f = { v, i in extra[1][i] < extra[0][i] ? nil : goMax(extra[0][i], goMin(extra[1][i], v)) }
        case "clamp_min": f = { v, i in goMax(extra[0][i], v) }
        case "clamp_max": f = { v, i in goMin(extra[0][i], v) }
        default:
            throw QueryError(execution: "function \"\(c.function.name)\" is not supported by the local query engine")
        }
        var out: [StepSeries] = []
        out.reserveCapacity(input.count)
        for s in input {
            var r = StepSeries(labels: s.labels.droppingName(), count: count)
            for i in 0..<count where s.present[i] {
                if let v = f(s.values[i], i) { r.set(i, v) }
            }
            if !r.isEmpty { out.append(r) }
        }
        return try merged(out)
    }

    /// `timestamp(v)`: a selector's sample times, or the evaluation time for anything else.
    private func timestamps(_ arg: Expr) throws(QueryError) -> [StepSeries] {
        var inner = arg
        while case .paren(let e) = inner { inner = e }
        if case .vectorSelector(let vs) = inner {
            let (series, times) = selectVector(vs)
            return try merged(
                series.indices.map { k in
                    var r = StepSeries(labels: series[k].labels.droppingName(), count: count)
                    for i in 0..<count where series[k].present[i] { r.set(i, Double(times[k][i]) / 1000) }
                    return r
                })
        }
        let input = try evalVector(arg)
        return try merged(
            input.map { s in
                var r = StepSeries(labels: s.labels.droppingName(), count: count)
                for i in 0..<count where s.present[i] { r.set(i, Double(steps[i]) / 1000) }
                return r
            })
    }

    /// The labels `absent()` gives: a selector's equality matchers, as Prometheus builds them.
    private func absentLabels(_ arg: Expr) -> Labels {
        switch arg {
        case .vectorSelector(let vs), .matrixSelector(let vs, _): return absentLabels(vs.matchers)
        default: return Labels()
        }
    }

    private func labelReplace(_ c: Call) throws(QueryError) -> [StepSeries] {
        let input = try evalVector(c.args[0])
        let dst = try evalString(c.args[1])
        let replacement = try evalString(c.args[2])
        let src = try evalString(c.args[3])
        let pattern = try evalString(c.args[4])
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(
                pattern: "^(?:\(goRegexToICU(pattern)))$", options: [.dotMatchesLineSeparators])
        } catch {
            throw QueryError(execution: "invalid regular expression in label_replace(): \(pattern)")
        }
        guard isValidLabelName(dst) else {
            throw QueryError(execution: "invalid destination label name in label_replace(): \(dst)")
        }
        let groupNames = captureGroupNames(pattern)
        var out: [StepSeries] = []
        for var s in input {
            let value = s.labels[src] ?? ""
            let range = NSRange(value.startIndex..<value.endIndex, in: value)
            if let match = regex.firstMatch(in: value, options: [], range: range) {
                let expanded = expandTemplate(replacement, match: match, in: value, groupNames: groupNames)
                s.labels = s.labels.setting(dst, to: expanded)
            }
            out.append(s)
        }
        return try merged(out)
    }

    private func labelJoin(_ c: Call) throws(QueryError) -> [StepSeries] {
        let input = try evalVector(c.args[0])
        let dst = try evalString(c.args[1])
        let separator = try evalString(c.args[2])
        var sources: [String] = []
        for e in c.args.dropFirst(3) { sources.append(try evalString(e)) }
        guard isValidLabelName(dst) else {
            throw QueryError(execution: "invalid destination label name in label_join(): \(dst)")
        }
        for s in sources where !isValidLabelName(s) {
            throw QueryError(execution: "invalid source label name in label_join(): \(s)")
        }
        return try merged(
            input.map { s in
                var r = s
                r.labels = s.labels.setting(dst, to: sources.map { s.labels[$0] ?? "" }.joined(separator: separator))
                return r
            })
    }
}

/// Go's math.Max and math.Min: NaN wins.
func goMax(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
func goMin(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }

/// Go's regexp writes named groups `(?P<name>…)`; ICU wants `(?<name>…)`.
func goRegexToICU(_ pattern: String) -> String {
    pattern.replacingOccurrences(of: "(?P<", with: "(?<")
}

/// Names of the capture groups in order (nil for unnamed ones), for `$name` in templates.
func captureGroupNames(_ pattern: String) -> [String?] {
    var names: [String?] = []
    let chars = Array(pattern)
    var i = 0
    var inClass = false
    while i < chars.count {
        let ch = chars[i]
        if ch == "\\" {
            i += 2
            continue
        }
        if inClass {
            if ch == "]" { inClass = false }
            i += 1
            continue
        }
        if ch == "[" {
            inClass = true
            i += 1
            continue
        }
        if ch == "(" {
            if i + 1 < chars.count, chars[i + 1] == "?" {
                var j = i + 2
                if j < chars.count, chars[j] == "P" { j += 1 }
                if j < chars.count, chars[j] == "<", j + 1 < chars.count, chars[j + 1] != "=", chars[j + 1] != "!" {
                    var k = j + 1
                    var name = ""
                    while k < chars.count, chars[k] != ">" {
                        name.append(chars[k])
                        k += 1
                    }
                    names.append(name)
                }
            } else {
                names.append(nil)
            }
        }
        i += 1
    }
    return names
}

/// Go's `Regexp.ExpandString`: `$1`, `${1}`, `$name`, `${name}`, `$$`; unknown groups expand to nothing.
func expandTemplate(_ template: String, match: NSTextCheckingResult, in text: String, groupNames: [String?]) -> String {
    func group(_ name: String) -> String {
        var index: Int?
        if let n = Int(name) {
            index = n
        } else if let k = groupNames.firstIndex(where: { $0 == name }) {
            index = k + 1
        }
        guard let index, index < match.numberOfRanges else { return "" }
        let r = match.range(at: index)
        guard r.location != NSNotFound, let range = Range(r, in: text) else { return "" }
        return String(text[range])
    }
    var out = ""
    let chars = Array(template)
    var i = 0
    while i < chars.count {
        let ch = chars[i]
        guard ch == "$", i + 1 < chars.count else {
            out.append(ch)
            i += 1
            continue
        }
        let next = chars[i + 1]
        if next == "$" {
            out.append("$")
            i += 2
        } else if next == "{" {
            var k = i + 2
            var name = ""
            while k < chars.count, chars[k] != "}" {
                name.append(chars[k])
                k += 1
            }
            if k < chars.count, !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                out += group(name)
                i = k + 1
            } else {
                out.append(ch)
                i += 1
            }
        } else {
            var k = i + 1
            var name = ""
            while k < chars.count, chars[k].isASCII, chars[k].isLetter || chars[k].isNumber || chars[k] == "_" {
                name.append(chars[k])
                k += 1
            }
            if name.isEmpty {
                out.append(ch)
                i += 1
            } else {
                out += group(name)
                i = k
            }
        }
    }
    return out
}

import Foundation
import KubeglassCore

/// Prints an expression back as PromQL text that parses to the same expression.
enum ExprPrinter {
    static func text(_ expr: Expr) -> String {
        switch expr {
        case .number(let n): return PromQLNumber.format(n).replacingOccurrences(of: "+Inf", with: "Inf")
        case .string(let s): return quote(s)
        case .vectorSelector(let vs): return selector(vs) + modifiers(vs.offset, vs.at)
        case .matrixSelector(let vs, let range):
            return selector(vs) + "[\(DurationText.text(milliseconds: range))]" + modifiers(vs.offset, vs.at)
        case .subquery(let sq):
            let step = sq.step.map { DurationText.text(milliseconds: $0) } ?? ""
            return "\(text(sq.expr))[\(DurationText.text(milliseconds: sq.range)):\(step)]"
                + modifiers(sq.offset, sq.at)
        case .paren(let e): return "(\(text(e)))"
        case .unary(let op, let e): return op.rawValue + text(e)
        case .binary(let b):
            var op = b.op.rawValue
            if b.returnBool { op += " bool" }
            if let m = b.matching, m.explicit {
                op += " \(m.on ? "on" : "ignoring")(\(m.labels.joined(separator: ", ")))"
                if m.cardinality == .manyToOne { op += " group_left(\(m.include.joined(separator: ", ")))" }
                if m.cardinality == .oneToMany { op += " group_right(\(m.include.joined(separator: ", ")))" }
            }
            return "\(text(b.lhs)) \(op) \(text(b.rhs))"
        case .call(let c): return "\(c.function.name)(\(c.args.map(text).joined(separator: ", ")))"
        case .aggregate(let a):
            var out = a.op.rawValue
            if a.hasGrouping { out += " \(a.without ? "without" : "by") (\(a.grouping.joined(separator: ", "))) " }
            let args = (a.param.map { [text($0)] } ?? []) + [text(a.expr)]
            return out + "(\(args.joined(separator: ", ")))"
        }
    }

    static func quote(_ s: String) -> String {
        // Most strings are printable ASCII with no quote or backslash: written as they are.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            return "\"" + s + "\""
        }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += String(format: "\\x%02x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func selector(_ vs: VectorSelector) -> String {
        let rest = vs.matchers.filter {
            !(vs.name != nil && $0.name == Labels.metricName && $0.kind == .equal && $0.value == vs.name)
        }
        let inner = rest.map { "\($0.name)\($0.kind.rawValue)\(quote($0.value))" }.joined(separator: ", ")
        if let name = vs.name { return inner.isEmpty ? name : "\(name){\(inner)}" }
        return "{\(inner)}"
    }

    private static func modifiers(_ offset: Int64, _ at: AtModifier?) -> String {
        var out = ""
        if offset > 0 { out += " offset \(DurationText.text(milliseconds: offset))" }
        if offset < 0 { out += " offset -\(DurationText.text(milliseconds: -offset))" }
        switch at {
        case .time(let t): out += " @ \(PromQLNumber.format(Double(t) / 1000))"
        case .start: out += " @ start()"
        case .end: out += " @ end()"
        case nil: break
        }
        return out
    }
}

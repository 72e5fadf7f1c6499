import Foundation

/// `labelSelector` as the API server parses it: `a=b`, `a==b`, `a!=b`, `a`, `!a`,
/// `a in (x,y)`, `a notin (x,y)`, joined by commas (all must hold).
struct LabelSelector: Sendable {
    enum Requirement: Sendable {
        case equals(String, String)
        case notEquals(String, String)
        case exists(String)
        case notExists(String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
    }
    var requirements: [Requirement] = []

    var isEmpty: Bool { requirements.isEmpty }

    init(_ text: String) throws(SelectorError) {
        for part in LabelSelector.split(text) {
            let p = part.trimmingSpaces
            if p.isEmpty { continue }
            if p.hasPrefix("!") {
                let key = String(p.dropFirst()).trimmingSpaces
                try LabelSelector.check(key, in: text)
                requirements.append(.notExists(key))
                continue
            }
            if let r = p.range(of: " notin ") ?? p.range(of: " in ") {
                let key = String(p[..<r.lowerBound]).trimmingSpaces
                let list = String(p[r.upperBound...]).trimmingSpaces
                guard list.hasPrefix("("), list.hasSuffix(")") else {
                    throw SelectorError("unable to parse requirement: found '\(list)', expected: '('")
                }
                let values = Set(list.dropFirst().dropLast().split(separator: ",").map { String($0).trimmingSpaces })
                try LabelSelector.check(key, in: text)
                requirements.append(p[r].contains("notin") ? .notIn(key, values) : .isIn(key, values))
                continue
            }
            if let r = p.range(of: "!=") {
                requirements.append(
                    .notEquals(String(p[..<r.lowerBound]).trimmingSpaces, String(p[r.upperBound...]).trimmingSpaces))
                continue
            }
            if let r = p.range(of: "==") ?? p.range(of: "=") {
                let key = String(p[..<r.lowerBound]).trimmingSpaces
                try LabelSelector.check(key, in: text)
                requirements.append(.equals(key, String(p[r.upperBound...]).trimmingSpaces))
                continue
            }
            try LabelSelector.check(p, in: text)
            requirements.append(.exists(p))
        }
    }

    private static func check(_ key: String, in text: String) throws(SelectorError) {
        if key.isEmpty || key.contains(" ") || key.contains("(") || key.contains(")") {
            throw SelectorError("unable to parse requirement: invalid label key \"\(key)\" in selector \"\(text)\"")
        }
    }

    /// Splits on commas that are not inside `( … )`.
    static func split(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for ch in text {
            if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
            if ch == "," && depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current)
        return parts
    }

    func matches(_ labels: [(key: String, value: String)]) -> Bool {
        func value(_ key: String) -> String? { labels.first { $0.key == key }?.value }
        for r in requirements {
            switch r {
            case .equals(let k, let v): if value(k) != v { return false }
            case .notEquals(let k, let v): if value(k) == v { return false }
            case .exists(let k): if value(k) == nil { return false }
            case .notExists(let k): if value(k) != nil { return false }
            case .isIn(let k, let vs): guard let v = value(k), vs.contains(v) else { return false }
            case .notIn(let k, let vs): if let v = value(k), vs.contains(v) { return false }
            }
        }
        return true
    }
}

/// `fieldSelector`: `field=value`, `field==value`, `field!=value`, joined by commas.
struct FieldSelector: Sendable {
    struct Term: Sendable {
        var field: String
        var value: String
        var equal: Bool
    }
    var terms: [Term] = []

    var isEmpty: Bool { terms.isEmpty }

    /// `supported` are the fields this resource can be selected by (others are an error, like the API server's).
    init(_ text: String, supported: Set<String>) throws(SelectorError) {
        for part in text.split(separator: ",") {
            let p = String(part).trimmingSpaces
            if p.isEmpty { continue }
            let term: Term
            if let r = p.range(of: "!=") {
                term = Term(field: String(p[..<r.lowerBound]), value: String(p[r.upperBound...]), equal: false)
            } else if let r = p.range(of: "==") ?? p.range(of: "=") {
                term = Term(field: String(p[..<r.lowerBound]), value: String(p[r.upperBound...]), equal: true)
            } else {
                throw SelectorError("invalid selector: '\(text)'; can't understand '\(p)'")
            }
            guard supported.contains(term.field) else {
                throw SelectorError("field label not supported: \(term.field)")
            }
            terms.append(term)
        }
    }

    /// Whether an object whose fields read through `value` passes every term.
    func matches(_ value: (String) -> String) -> Bool {
        terms.allSatisfy { ($0.value == value($0.field)) == $0.equal }
    }

    /// The value a term requires with `=`, if any (used to narrow a list before filtering).
    func required(_ field: String) -> String? {
        terms.first { $0.field == field && $0.equal }?.value
    }
}

struct SelectorError: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

import Foundation
import Query

/// Grafana's `templating.list` → our variables. Datasource variables pick the datasource and are not kept.
extension GrafanaConversion {
    mutating func variables() -> [Variable] {
        var out: [Variable] = []
        for v in board["templating"]?["list"]?.array ?? [] {
            let name = v["name"]?.string ?? ""
            let type = v["type"]?.string ?? "query"
            guard type != "datasource" else { continue }
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                note("variable \"\(name)\" is left out: kubeglass variable names are letters, digits and _")
                continue
            }
            guard !out.contains(where: { $0.name == name }) else {
                note("variable $\(name) is defined twice; the second is left out")
                continue
            }
            var variable = Variable(name: name, kind: .query)
            switch type {
            case "query":
                variable.kind = .query
                variable.query =
                    [v["query"]?.string, v["query"]?["query"]?.string, v["definition"]?.string]
                    .compactMap { $0 }.first { !$0.isEmpty } ?? ""
                variable.datasource = datasource(v["datasource"])
            case "custom":
                variable.kind = .custom
                variable.query = customValues(v)
            case "interval":
                variable.kind = .interval
                variable.query = v["query"]?.string ?? ""
                if v["auto"]?.bool == true, !variable.staticOptions.contains("auto") {
                    variable.query = "auto," + variable.query
                }
            case "constant":
                variable.kind = .constant
                variable.query = v["query"]?.string ?? ""
            case "textbox":
                variable.kind = .textbox
                variable.query = v["query"]?.string ?? ""
            case "adhoc":
                note(
                    "ad hoc filter $\(name) is left out: kubeglass has no ad hoc filters; add label matchers to the queries instead"
                )
                continue
            default:
                note("variable $\(name) of type \"\(type)\" is left out: kubeglass does not know that type")
                continue
            }
            if variable.query.trimmingCharacters(in: .whitespaces).isEmpty && variable.kind != .textbox {
                note("variable $\(name) is left out: it has no query or values")
                continue
            }
            if let label = v["label"]?.string, !label.isEmpty, label != name { variable.label = label }
            if let regex = v["regex"]?.string, !regex.isEmpty { variable.regex = GrafanaConversion.regexBody(regex) }
            variable.multi = v["multi"]?.bool ?? false
            variable.includeAll = v["includeAll"]?.bool ?? false
            if let all = v["allValue"]?.string, !all.isEmpty { variable.allValue = all }
            variable.current = current(v)
            variable.hidden = v["hide"]?.int == 2 || (variable.kind == .constant && v["hide"] == nil)
            out.append(variable)
        }
        return out
    }

    /// A custom variable's values: its comma list, else its options.
    private mutating func customValues(_ v: JSONValue) -> String {
        if let q = v["query"]?.string, !q.isEmpty {
            if q.contains("\\,") {
                note("custom variable $\(v["name"]?.string ?? ""): a value with an escaped comma is split at the comma")
            }
            return q.replacingOccurrences(of: "\\,", with: ",").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: ",")
        }
        return (v["options"]?.array ?? []).compactMap { $0["value"]?.string }.filter { $0 != Variable.all }.joined(
            separator: ",")
    }

    /// The current selection's values; ["$__all"] for All, nothing when Grafana saved none.
    private func current(_ v: JSONValue) -> [String] {
        guard let value = v["current"]?["value"] else { return [] }
        let values: [String] = value.array?.compactMap(\.string) ?? value.string.map { [$0] } ?? []
        let cleaned = values.map { $0 == "$__all" ? Variable.all : $0 }.filter { !$0.isEmpty }
        return cleaned.contains(Variable.all) ? [Variable.all] : cleaned
    }

    /// `/^(.*)$/i` → `^(.*)$`: Grafana writes regexes in slashes with flags.
    static func regexBody(_ text: String) -> String {
        guard text.hasPrefix("/"), let last = text.lastIndex(of: "/"), last != text.startIndex else { return text }
        return String(text[text.index(after: text.startIndex)..<last])
    }
}

import Dashboards
import Query
import TerminalUI

/// The completion items for a datasource's words and its language's functions and keywords.
public enum QueryCompletion {
    public static func items(_ words: CompletionWords, language: QueryLanguage) -> [CompletionItem] {
        var items = words.metrics.map {
            CompletionItem(text: $0, detail: language == .promql ? "metric" : "measurement", kind: .metric)
        }
        items += words.labels.map {
            CompletionItem(text: $0, detail: language == .promql ? "label" : "tag", kind: .label)
        }
        items += words.labelValues.map { CompletionItem(text: $0, detail: "value", kind: .labelValue) }
        switch language {
        case .promql:
            items += Function.supportedNames.map { CompletionItem(text: $0, detail: "function", kind: .function) }
            items += promQLKeywords.map { CompletionItem(text: $0, detail: "keyword", kind: .keyword) }
        case .influxql:
            items += influxFunctions.map { CompletionItem(text: $0, detail: "function", kind: .function) }
            items += influxKeywords.map { CompletionItem(text: $0, detail: "keyword", kind: .keyword) }
        }
        items += ["$timeFilter", "$__interval", "$__rate_interval", "$__range"].map {
            CompletionItem(text: $0, detail: "macro", kind: .variable)
        }
        return items
    }

    static let promQLKeywords = [
        "sum", "avg", "min", "max", "count", "topk", "bottomk", "quantile", "stddev", "stdvar", "count_values", "group",
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless",
    ]
    static let influxKeywords = [
        "SELECT", "FROM", "WHERE", "GROUP BY", "time", "fill", "null", "none", "previous", "linear", "AND", "OR",
        "ORDER BY", "LIMIT", "SLIMIT", "SHOW MEASUREMENTS", "SHOW TAG KEYS", "SHOW TAG VALUES", "WITH KEY", "value",
    ]
    static let influxFunctions = [
        "mean", "sum", "max", "min", "count", "last", "first", "median", "percentile", "derivative",
        "non_negative_derivative", "difference", "moving_average", "stddev", "spread", "distinct", "top", "bottom",
    ]
}

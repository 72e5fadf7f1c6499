/// A PromQL function's signature.
public struct Function: Sendable, Equatable {
    public let name: String
    public let argTypes: [ValueType]
    /// How many trailing arguments may be left out; -1 means the last one repeats without bound.
    public let optional: Int
    public let returns: ValueType

    public static func == (lhs: Function, rhs: Function) -> Bool { lhs.name == rhs.name }

    init(_ name: String, _ argTypes: [ValueType], optional: Int = 0, _ returns: ValueType = .vector) {
        self.name = name
        self.argTypes = argTypes
        self.optional = optional
        self.returns = returns
    }

    /// The functions this engine evaluates.
    static let supported: [String: Function] = {
        var all: [Function] = []
        for name in [
            "rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets",
            "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
            "last_over_time", "stddev_over_time", "stdvar_over_time", "present_over_time", "absent_over_time",
        ] {
            all.append(Function(name, [.matrix]))
        }
        all.append(Function("quantile_over_time", [.scalar, .matrix]))
        all.append(Function("predict_linear", [.matrix, .scalar]))
        for name in [
            "abs", "ceil", "floor", "exp", "ln", "log2", "log10", "sqrt", "sgn", "timestamp", "sort", "sort_desc",
            "absent",
        ] {
            all.append(Function(name, [.vector]))
        }
        all.append(Function("round", [.vector, .scalar], optional: 1))
        all.append(Function("clamp", [.vector, .scalar, .scalar]))
        all.append(Function("clamp_min", [.vector, .scalar]))
        all.append(Function("clamp_max", [.vector, .scalar]))
        all.append(Function("scalar", [.vector], .scalar))
        all.append(Function("vector", [.scalar]))
        all.append(Function("time", [], .scalar))
        all.append(Function("label_replace", [.vector, .string, .string, .string, .string]))
        all.append(Function("label_join", [.vector, .string, .string, .string], optional: -1))
        all.append(Function("histogram_quantile", [.scalar, .vector]))
        return Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
    }()

    /// Functions Prometheus has that this engine does not evaluate (refused with a clear error).
    static let unsupported: Set<String> = [
        "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh", "deg", "rad",
        "pi",
        "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year",
        "holt_winters", "double_exponential_smoothing", "mad_over_time", "first_over_time",
        "histogram_count", "histogram_sum", "histogram_fraction", "histogram_stddev", "histogram_stdvar",
        "histogram_avg",
        "sort_by_label", "sort_by_label_desc", "limitk", "limit_ratio", "info",
    ]
}

extension Function {
    /// Every function the local engine evaluates, by name (for completion).
    public static var supportedNames: [String] { supported.keys.sorted() }
}

import KubeglassCore

/// A parsed PromQL expression.
public indirect enum Expr: Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case string(String)
    case vectorSelector(VectorSelector)
    /// `selector[range]`
    case matrixSelector(VectorSelector, range: Int64)
    /// `expr[range:step]` (step nil means the default resolution).
    case subquery(Subquery)
    case paren(Expr)
    case unary(UnaryOperator, Expr)
    case binary(BinaryExpr)
    case call(Call)
    case aggregate(Aggregate)

    /// What the expression evaluates to, known at parse time as in Prometheus.
    public var type: ValueType {
        switch self {
        case .number: return .scalar
        case .string: return .string
        case .vectorSelector: return .vector
        case .matrixSelector, .subquery: return .matrix
        case .paren(let e), .unary(_, let e): return e.type
        case .binary(let b): return b.lhs.type == .scalar && b.rhs.type == .scalar ? .scalar : .vector
        case .call(let c): return c.function.returns
        case .aggregate: return .vector
        }
    }

    public var description: String { ExprPrinter.text(self) }
}

public enum ValueType: String, Sendable {
    case scalar, string
    case vector = "instant vector"
    case matrix = "range vector"
}

public enum AtModifier: Sendable, Equatable {
    case time(Timestamp)
    case start
    case end
}

public struct VectorSelector: Sendable, Equatable {
    public var name: String?
    /// All matchers, including `__name__="name"` when a name was written before the braces.
    public var matchers: [LabelMatcher]
    public var offset: Int64 = 0
    public var at: AtModifier?
}

public struct Subquery: Sendable, Equatable {
    public var expr: Expr
    public var range: Int64
    public var step: Int64?
    public var offset: Int64 = 0
    public var at: AtModifier?
}

public enum UnaryOperator: String, Sendable {
    case plus = "+"
    case minus = "-"
}

public enum BinaryOperator: String, Sendable {
    case add = "+"
    case sub = "-"
    case mul = "*"
    case div = "/"
    case mod = "%"
    case pow = "^"
    case atan2
    case eql = "=="
    case neq = "!="
    case gtr = ">"
    case gte = ">="
    case lss = "<"
    case lte = "<="
    case and, or, unless

    var precedence: Int {
        switch self {
        case .or: return 1
        case .and, .unless: return 2
        case .eql, .neq, .gtr, .gte, .lss, .lte: return 3
        case .add, .sub: return 4
        case .mul, .div, .mod, .atan2: return 5
        case .pow: return 6
        }
    }

    var isRightAssociative: Bool { self == .pow }
    var isComparison: Bool { precedence == 3 }
    var isSetOperator: Bool { self == .and || self == .or || self == .unless }
}

/// How the two sides of a vector/vector operation are matched.
public struct VectorMatching: Sendable, Equatable {
    public enum Cardinality: Sendable { case oneToOne, manyToOne, oneToMany, manyToMany }
    public var cardinality: Cardinality = .oneToOne
    /// true for `on(...)`, false for `ignoring(...)` (or nothing written).
    public var on = false
    public var labels: [String] = []
    /// Labels named in `group_left(...)` / `group_right(...)`.
    public var include: [String] = []
    /// Whether on/ignoring was written (for printing).
    var explicit = false
}

public struct BinaryExpr: Sendable, Equatable {
    public var op: BinaryOperator
    public var lhs: Expr
    public var rhs: Expr
    public var returnBool = false
    public var matching: VectorMatching?
}

public struct Call: Sendable, Equatable {
    public var function: Function
    public var args: [Expr]
}

public enum AggregateOperator: String, Sendable, CaseIterable {
    case sum, avg, min, max, count, group, stddev, stdvar, topk, bottomk, quantile
    case countValues = "count_values"

    var parameterType: ValueType? {
        switch self {
        case .topk, .bottomk, .quantile: return .scalar
        case .countValues: return .string
        default: return nil
        }
    }
}

public struct Aggregate: Sendable, Equatable {
    public var op: AggregateOperator
    public var expr: Expr
    public var param: Expr?
    public var grouping: [String] = []
    public var without = false
    /// Whether by/without was written (so `sum by () (x)` prints back as written).
    var hasGrouping = false
}

extension Expr {
    /// The metric names its selectors read, in the order written (`a / on (x) b` → a, b), each once.
    public var metricNames: [String] {
        var out: [String] = []
        func walk(_ e: Expr) {
            switch e {
            case .number, .string: break
            case .vectorSelector(let vs), .matrixSelector(let vs, _):
                if let name = vs.name, !out.contains(name) { out.append(name) }
            case .subquery(let sq): walk(sq.expr)
            case .paren(let inner), .unary(_, let inner): walk(inner)
            case .binary(let b):
                walk(b.lhs)
                walk(b.rhs)
            case .call(let c): c.args.forEach(walk)
            case .aggregate(let a):
                if let p = a.param { walk(p) }
                walk(a.expr)
            }
        }
        walk(self)
        return out
    }
}

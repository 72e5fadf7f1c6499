import KubeglassCore
import Synchronization

/// Entry point for parsing PromQL text.
public enum PromQL {
    /// Deeper nesting than this is refused rather than risking the stack.
    public static let maxNestingDepth = 200

    public static func parse(_ text: String) throws(QueryError) -> Expr {
        if let expr = parsed.withLock({ $0[text] }) { return expr }
        var parser = try Parser(text)
        let expr = try parser.parseQuery()
        parsed.withLock { cache in
            if cache.count >= 1024 { cache.removeAll(keepingCapacity: true) }
            cache[text] = expr
        }
        return expr
    }

    /// The queries parsed lately: every refresh asks the same ones again (and compiles their regexes again).
    private static let parsed = Mutex<[String: Expr]>([:])
}

/// A recursive-descent parser with precedence climbing for binary operators.
struct Parser {
    private var lexer: Lexer
    private var token: Token
    private var depth = 0

    init(_ text: String) throws(QueryError) {
        lexer = Lexer(text)
        token = try lexer.next()
    }

    private func error(_ message: String, at offset: Int? = nil) -> QueryError {
        lexer.error(message, at: offset ?? token.start)
    }

    private mutating func advance() throws(QueryError) {
        token = try lexer.next()
    }

    private func identifier(_ word: String) -> Bool {
        if case .identifier(let s) = token.kind { return s.lowercased() == word }
        return false
    }

    /// "unexpected X", with the end of input inside parentheses reported as Prometheus does.
    private func unexpected(_ context: String? = nil) -> QueryError {
        if token.kind == .eof {
            if lexer.parenDepth > 0 { return error("unclosed left parenthesis") }
            return error("unexpected end of input" + (context.map { " \($0)" } ?? ""))
        }
        if token.kind == .rightParen { return error("unexpected right parenthesis ')'") }
        return error("unexpected \(token.kind.text)" + (context.map { " \($0)" } ?? ""))
    }

    private mutating func expect(_ kind: Token.Kind, _ context: String) throws(QueryError) {
        guard token.kind == kind else {
            if token.kind == .eof {
                switch kind {
                case .rightParen: throw error("unclosed left parenthesis")
                case .rightBrace: throw error("unexpected end of input inside braces")
                case .rightBracket: throw error("unexpected end of input inside brackets")
                default: break
                }
            }
            throw unexpected(context)
        }
        try advance()
    }

    mutating func parseQuery() throws(QueryError) -> Expr {
        if token.kind == .eof { throw error("no expression found in input") }
        let expr = try parseExpr(minPrecedence: 1)
        if token.kind != .eof {
            if token.kind == .rightParen { throw error("unexpected right parenthesis ')'") }
            throw unexpected()
        }
        return expr
    }

    // MARK: Binary operators

    private func binaryOperator() -> BinaryOperator? {
        switch token.kind {
        case .add: return .add
        case .sub: return .sub
        case .mul: return .mul
        case .div: return .div
        case .mod: return .mod
        case .pow: return .pow
        case .eqlc: return .eql
        case .neq: return .neq
        case .gtr: return .gtr
        case .gte: return .gte
        case .lss: return .lss
        case .lte: return .lte
        case .identifier(let s):
            switch s.lowercased() {
            case "and": return .and
            case "or": return .or
            case "unless": return .unless
            case "atan2": return .atan2
            default: return nil
            }
        default: return nil
        }
    }

    private mutating func enter() throws(QueryError) {
        depth += 1
        if depth > PromQL.maxNestingDepth {
            throw error("query is nested too deeply (more than \(PromQL.maxNestingDepth) levels)")
        }
    }

    private mutating func parseExpr(minPrecedence: Int) throws(QueryError) -> Expr {
        try enter()
        defer { depth -= 1 }
        var lhs = try parseUnary()
        while let op = binaryOperator(), op.precedence >= minPrecedence {
            let opStart = token.start
            try advance()
            var returnBool = false
            if identifier("bool") {
                guard op.isComparison else { throw error("bool modifier can only be used on comparison operators") }
                returnBool = true
                try advance()
            }
            var matching: VectorMatching?
            if identifier("on") || identifier("ignoring") {
                var m = VectorMatching()
                m.on = identifier("on")
                m.explicit = true
                try advance()
                m.labels = try parseLabelList()
                if identifier("group_left") || identifier("group_right") {
                    m.cardinality = identifier("group_left") ? .manyToOne : .oneToMany
                    try advance()
                    if token.kind == .leftParen { m.include = try parseLabelList() }
                }
                matching = m
            } else if identifier("group_left") || identifier("group_right") {
                throw error("unexpected <group_left/group_right> without on() or ignoring()")
            }
            let rhs = try parseExpr(minPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1)
            lhs = try makeBinary(op, lhs, rhs, returnBool: returnBool, matching: matching, at: opStart)
        }
        return lhs
    }

    private func makeBinary(
        _ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, returnBool: Bool,
        matching: VectorMatching?, at offset: Int
    ) throws(QueryError) -> Expr {
        let lt = lhs.type
        let rt = rhs.type
        for t in [lt, rt] where t != .scalar && t != .vector {
            throw error("binary expression must contain only scalar and instant vector types", at: offset)
        }
        if op.isSetOperator && (lt == .scalar || rt == .scalar) {
            throw error("set operator \"\(op.rawValue)\" not allowed in binary scalar expression", at: offset)
        }
        if op.isComparison && !returnBool && lt == .scalar && rt == .scalar {
            throw error("comparisons between scalars must use BOOL modifier", at: offset)
        }
        var m = matching
        if m != nil && (lt != .vector || rt != .vector) {
            throw error("vector matching only allowed between instant vectors", at: offset)
        }
        if lt == .vector && rt == .vector {
            if m == nil { m = VectorMatching() }
            if op.isSetOperator {
                if m!.cardinality == .manyToOne || m!.cardinality == .oneToMany {
                    throw error("no grouping allowed for \"\(op.rawValue)\" operation", at: offset)
                }
                m!.cardinality = .manyToMany
            }
            if m!.on {
                for label in m!.include where m!.labels.contains(label) {
                    throw error("label \"\(label)\" must not occur in ON and GROUP clause at once", at: offset)
                }
            }
        }
        return .binary(BinaryExpr(op: op, lhs: lhs, rhs: rhs, returnBool: returnBool, matching: m))
    }

    private mutating func parseUnary() throws(QueryError) -> Expr {
        guard token.kind == .sub || token.kind == .add else { return try parsePostfix(try parsePrimary()) }
        let op: UnaryOperator = token.kind == .sub ? .minus : .plus
        let start = token.start
        try advance()
        // Unary operators bind like `*`: `-a ^ b` is `-(a ^ b)`, `-a * b` is `(-a) * b`.
        let operand = try parseExpr(minPrecedence: BinaryOperator.pow.precedence)
        guard operand.type == .scalar || operand.type == .vector else {
            throw error(
                "unary expression only allowed on expressions of type scalar or instant vector, got \"\(operand.type.rawValue)\"",
                at: start)
        }
        if case .number(let n) = operand { return .number(op == .minus ? -n : n) }
        return .unary(op, operand)
    }

    // MARK: Primary expressions

    private mutating func parsePrimary() throws(QueryError) -> Expr {
        switch token.kind {
        case .number(let n):
            try advance()
            return .number(n)
        case .string(let s):
            try advance()
            return .string(s)
        case .leftParen:
            try advance()
            let inner = try parseExpr(minPrecedence: 1)
            try expect(.rightParen, "in parenthesized expression")
            return .paren(inner)
        case .leftBrace:
            return .vectorSelector(try parseSelector(name: nil, nameStart: token.start))
        case .identifier(let word):
            let start = token.start
            try advance()
            if let op = AggregateOperator(rawValue: word.lowercased()) {
                return try parseAggregate(op, start: start)
            }
            if token.kind == .leftParen { return try parseCall(word, start: start) }
            return .vectorSelector(try parseSelector(name: word, nameStart: start))
        default:
            throw unexpected()
        }
    }

    private mutating func parseLabelList() throws(QueryError) -> [String] {
        try expect(.leftParen, "in grouping opts, expected \"(\"")
        var labels: [String] = []
        while true {
            if token.kind == .rightParen { break }
            guard case .identifier(let name) = token.kind, !name.contains(":") else {
                throw token.kind == .eof
                    ? error("unclosed left parenthesis") : unexpected("in grouping opts, expected label")
            }
            labels.append(name)
            try advance()
            if token.kind == .comma {
                try advance()
                continue
            }
            if token.kind != .rightParen {
                throw token.kind == .eof
                    ? error("unclosed left parenthesis") : unexpected("in grouping opts, expected \")\" or \",\"")
            }
        }
        try advance()
        return labels
    }

    private mutating func parseAggregate(_ op: AggregateOperator, start: Int) throws(QueryError) -> Expr {
        var grouping: [String] = []
        var without = false
        var hasGrouping = false
        if identifier("by") || identifier("without") {
            without = identifier("without")
            hasGrouping = true
            try advance()
            grouping = try parseLabelList()
        }
        guard token.kind == .leftParen else { throw unexpected("in aggregation") }
        try advance()
        var args: [Expr] = []
        while token.kind != .rightParen {
            args.append(try parseExpr(minPrecedence: 1))
            if token.kind == .comma { try advance() } else { break }
        }
        try expect(.rightParen, "in aggregation")
        if identifier("by") || identifier("without") {
            if hasGrouping { throw error("aggregation must only contain one grouping clause") }
            without = identifier("without")
            hasGrouping = true
            try advance()
            grouping = try parseLabelList()
        }
        let wanted = op.parameterType == nil ? 1 : 2
        guard args.count == wanted else {
            if args.isEmpty { throw error("no arguments for aggregate expression provided", at: start) }
            throw error(
                "wrong number of arguments for aggregate expression provided, expected \(wanted), got \(args.count)",
                at: start)
        }
        let expr = args[wanted - 1]
        guard expr.type == .vector else {
            throw error("expected type instant vector in aggregation expression, got \(expr.type.rawValue)", at: start)
        }
        var param: Expr?
        if let wantedType = op.parameterType {
            param = args[0]
            guard args[0].type == wantedType else {
                throw error(
                    "expected type \(wantedType.rawValue) in aggregation parameter, got \(args[0].type.rawValue)",
                    at: start)
            }
        }
        return .aggregate(
            Aggregate(op: op, expr: expr, param: param, grouping: grouping, without: without, hasGrouping: hasGrouping))
    }

    private mutating func parseCall(_ name: String, start: Int) throws(QueryError) -> Expr {
        guard let function = Function.supported[name] else {
            if Function.unsupported.contains(name) {
                throw error("function \"\(name)\" is not supported by the local query engine", at: start)
            }
            throw error("unknown function with name \"\(name)\"", at: start)
        }
        try advance() // (
        var args: [Expr] = []
        while token.kind != .rightParen {
            args.append(try parseExpr(minPrecedence: 1))
            if token.kind == .comma { try advance() } else { break }
        }
        try expect(.rightParen, "in function call")
        let required = function.argTypes.count - max(0, function.optional)
        if function.optional == -1 {
            if args.count < required {
                throw error(
                    "expected at least \(required) argument(s) in call to \"\(name)\", got \(args.count)", at: start)
            }
        } else if function.optional > 0 {
            if args.count < required || args.count > function.argTypes.count {
                let bound = args.count < required ? "at least \(required)" : "at most \(function.argTypes.count)"
                throw error("expected \(bound) argument(s) in call to \"\(name)\", got \(args.count)", at: start)
            }
        } else if args.count != required {
            throw error("expected \(required) argument(s) in call to \"\(name)\", got \(args.count)", at: start)
        }
        for (i, arg) in args.enumerated() {
            let wanted = function.argTypes[min(i, function.argTypes.count - 1)]
            guard arg.type == wanted else {
                throw error(
                    "expected type \(wanted.rawValue) in call to function \"\(name)\", got \(arg.type.rawValue)",
                    at: start)
            }
        }
        return .call(Call(function: function, args: args))
    }

    private mutating func parseSelector(name: String?, nameStart: Int) throws(QueryError) -> VectorSelector {
        var matchers: [LabelMatcher] = []
        if let name {
            if name.lowercased() == "by" || name.lowercased() == "without" || name.lowercased() == "offset" {
                throw error("unexpected \(Token.Kind.identifier(name).text)", at: nameStart)
            }
            matchers.append(.equal(Labels.metricName, name))
        }
        let braceStart = token.start
        if token.kind == .leftBrace {
            try advance()
            while token.kind != .rightBrace {
                guard case .identifier(let label) = token.kind, !label.contains(":") else {
                    if token.kind == .eof { throw error("unexpected end of input inside braces") }
                    throw unexpected("in label matching, expected label name")
                }
                try advance()
                let kind: LabelMatcher.Kind
                switch token.kind {
                case .assign: kind = .equal
                case .neq: kind = .notEqual
                case .regexMatch: kind = .regex
                case .regexNoMatch: kind = .notRegex
                case .eof: throw error("unexpected end of input inside braces")
                default: throw unexpected("in label matching, expected label matching operator")
                }
                try advance()
                guard case .string(let value) = token.kind else {
                    if token.kind == .eof { throw error("unexpected end of input inside braces") }
                    throw unexpected("in label matching, expected string")
                }
                let valueStart = token.start
                try advance()
                if label == Labels.metricName, let name {
                    throw error("metric name must not be set twice: \"\(name)\" or \"\(value)\"", at: valueStart)
                }
                do {
                    matchers.append(try LabelMatcher(label, kind, value))
                } catch {
                    throw self.error("invalid regular expression \"\(value)\"", at: valueStart)
                }
                if token.kind == .comma {
                    try advance()
                    continue
                }
                if token.kind != .rightBrace {
                    if token.kind == .eof { throw error("unexpected end of input inside braces") }
                    throw unexpected("in label matching, expected \",\" or \"}\"")
                }
            }
            try advance()
        }
        guard matchers.contains(where: { !$0.matches("") }) else {
            throw error(
                "vector selector must contain at least one non-empty matcher", at: name == nil ? braceStart : nameStart)
        }
        return VectorSelector(name: name, matchers: matchers)
    }

    // MARK: Postfix: ranges, subqueries, offset, @

    private mutating func parsePostfix(_ base: Expr) throws(QueryError) -> Expr {
        var expr = base
        while true {
            if token.kind == .leftBracket {
                expr = try parseRangeOrSubquery(expr)
            } else if identifier("offset") {
                let start = token.start
                try advance()
                var sign: Int64 = 1
                if token.kind == .sub || token.kind == .add {
                    if token.kind == .sub { sign = -1 }
                    try advance()
                }
                guard case .duration(let d) = token.kind else { throw unexpected("in offset, expected duration") }
                try advance()
                expr = try applyOffset(sign * d, to: expr, at: start)
            } else if token.kind == .at {
                let start = token.start
                try advance()
                expr = try applyAt(try parseAtValue(), to: expr, at: start)
            } else {
                return expr
            }
        }
    }

    private mutating func parseRangeOrSubquery(_ expr: Expr) throws(QueryError) -> Expr {
        let start = token.start
        try advance() // [
        guard case .duration(let range) = token.kind else {
            if token.kind == .eof { throw error("unexpected end of input inside brackets") }
            throw unexpected("in subquery or range selector, expected duration")
        }
        try advance()
        if token.kind == .colon {
            try advance()
            var step: Int64?
            if case .duration(let s) = token.kind {
                step = s
                try advance()
            }
            try expect(.rightBracket, "in subquery selector")
            guard expr.type == .vector else {
                throw error("subquery is only allowed on instant vector, got \(expr.type.rawValue) instead", at: start)
            }
            if step == 0 { throw error("zero step in subquery", at: start) }
            return .subquery(Subquery(expr: expr, range: range, step: step))
        }
        try expect(.rightBracket, "in range selector, expected \"]\"")
        guard case .vectorSelector(let vs) = expr else {
            throw error("ranges only allowed for vector selectors", at: start)
        }
        if vs.offset != 0 { throw error("no offset modifiers allowed before range", at: start) }
        if vs.at != nil { throw error("no @ modifiers allowed before range", at: start) }
        if range <= 0 { throw error("range must be greater than zero", at: start) }
        return .matrixSelector(vs, range: range)
    }

    private mutating func parseAtValue() throws(QueryError) -> AtModifier {
        if identifier("start") || identifier("end") {
            let isStart = identifier("start")
            try advance()
            try expect(.leftParen, "in @ modifier")
            try expect(.rightParen, "in @ modifier")
            return isStart ? .start : .end
        }
        var sign = 1.0
        if token.kind == .sub || token.kind == .add {
            if token.kind == .sub { sign = -1 }
            try advance()
        }
        guard case .number(let seconds) = token.kind else { throw unexpected("in @ modifier, expected timestamp") }
        let ms = (sign * seconds * 1000).rounded()
        guard ms.isFinite, abs(ms) < 1e15 else {
            throw error("timestamp out of bounds for @ modifier: \(sign * seconds)")
        }
        try advance()
        return .time(Timestamp(ms))
    }

    private func applyOffset(_ offset: Int64, to expr: Expr, at start: Int) throws(QueryError) -> Expr {
        let message =
            "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"
        let twice = "offset may not be set multiple times"
        switch expr {
        case .vectorSelector(var vs):
            if vs.offset != 0 { throw error(twice, at: start) }
            vs.offset = offset
            return .vectorSelector(vs)
        case .matrixSelector(var vs, let range):
            if vs.offset != 0 { throw error(twice, at: start) }
            vs.offset = offset
            return .matrixSelector(vs, range: range)
        case .subquery(var sq):
            if sq.offset != 0 { throw error(twice, at: start) }
            sq.offset = offset
            return .subquery(sq)
        default:
            throw error(message, at: start)
        }
    }

    private func applyAt(_ at: AtModifier, to expr: Expr, at start: Int) throws(QueryError) -> Expr {
        let message = "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery"
        let twice = "@ <timestamp> may not be set multiple times"
        switch expr {
        case .vectorSelector(var vs):
            if vs.at != nil { throw error(twice, at: start) }
            vs.at = at
            return .vectorSelector(vs)
        case .matrixSelector(var vs, let range):
            if vs.at != nil { throw error(twice, at: start) }
            vs.at = at
            return .matrixSelector(vs, range: range)
        case .subquery(var sq):
            if sq.at != nil { throw error(twice, at: start) }
            sq.at = at
            return .subquery(sq)
        default:
            throw error(message, at: start)
        }
    }
}

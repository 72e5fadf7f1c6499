/// A Grafana InfluxDB panel target as dashboard JSON stores it: either raw InfluxQL
/// (`rawQuery: true`, `query`) or the query builder's fields, from which Grafana builds the query.
/// Decode it straight from a target object; unknown keys are ignored.
public struct InfluxBuilderTarget: Decodable, Sendable, Hashable {
    /// `{"type": "mean", "params": []}`: one part of a SELECT column or of GROUP BY.
    public struct Part: Decodable, Sendable, Hashable {
        public var type: String
        /// Params as text (dashboards store numbers for some, e.g. `moving_average`'s window); nil means the part's defaults.
        public var params: [String]?

        public init(type: String, params: [String]? = nil) {
            self.type = type
            self.params = params
        }

        enum CodingKeys: String, CodingKey { case type, params }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = try c.decode(String.self, forKey: .type)
            params = try c.decodeIfPresent([LooseText].self, forKey: .params)?.map(\.text)
        }
    }

    /// `{"key": "type", "operator": "=", "value": "node", "condition": "AND"}`.
    public struct Tag: Decodable, Sendable, Hashable {
        public var key: String
        public var `operator`: String?
        public var value: String
        public var condition: String?

        public init(key: String, operator: String? = nil, value: String, condition: String? = nil) {
            self.key = key
            self.operator = `operator`
            self.value = value
            self.condition = condition
        }

        enum CodingKeys: String, CodingKey { case key, `operator`, value, condition }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            key = try c.decode(String.self, forKey: .key)
            `operator` = try c.decodeIfPresent(String.self, forKey: .operator)
            value = try c.decodeIfPresent(LooseText.self, forKey: .value)?.text ?? ""
            condition = try c.decodeIfPresent(String.self, forKey: .condition)
        }
    }

    public var refId: String?
    public var rawQuery: Bool?
    public var query: String?
    public var measurement: String?
    public var policy: String?
    public var select: [[Part]]?
    public var tags: [Tag]?
    public var groupBy: [Part]?
    public var alias: String?
    public var resultFormat: String?
    public var orderByTime: String?
    /// Legacy targets kept `fill` outside `groupBy`.
    public var fill: String?
    public var limit: String?
    public var slimit: String?
    public var tz: String?
    public var hide: Bool?

    public init(
        measurement: String? = nil, policy: String? = nil, select: [[Part]]? = nil, tags: [Tag]? = nil,
        groupBy: [Part]? = nil,
        alias: String? = nil, rawQuery: Bool? = nil, query: String? = nil
    ) {
        self.measurement = measurement
        self.policy = policy
        self.select = select
        self.tags = tags
        self.groupBy = groupBy
        self.alias = alias
        self.rawQuery = rawQuery
        self.query = query
    }

    enum CodingKeys: String, CodingKey {
        case refId, rawQuery, query, measurement, policy, select, tags, groupBy, alias, resultFormat, orderByTime, fill,
            limit, slimit, tz, hide
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        refId = try c.decodeIfPresent(String.self, forKey: .refId)
        rawQuery = try c.decodeIfPresent(LooseBool.self, forKey: .rawQuery)?.value
        query = try c.decodeIfPresent(String.self, forKey: .query)
        measurement = try c.decodeIfPresent(String.self, forKey: .measurement)
        policy = try c.decodeIfPresent(String.self, forKey: .policy)
        select = try c.decodeIfPresent([[Part]].self, forKey: .select)
        tags = try c.decodeIfPresent([Tag].self, forKey: .tags)
        groupBy = try c.decodeIfPresent([Part].self, forKey: .groupBy)
        alias = try c.decodeIfPresent(String.self, forKey: .alias)
        resultFormat = try c.decodeIfPresent(String.self, forKey: .resultFormat)
        orderByTime = try c.decodeIfPresent(String.self, forKey: .orderByTime)
        fill = try c.decodeIfPresent(LooseText.self, forKey: .fill)?.text
        limit = try c.decodeIfPresent(LooseText.self, forKey: .limit)?.text
        slimit = try c.decodeIfPresent(LooseText.self, forKey: .slimit)?.text
        tz = try c.decodeIfPresent(String.self, forKey: .tz)
        hide = try c.decodeIfPresent(LooseBool.self, forKey: .hide)?.value
    }
}

/// A JSON string or number, read as text (dashboards are not consistent).
struct LooseText: Decodable {
    var text: String
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            text = s
        } else if let i = try? c.decode(Int64.self) {
            text = String(i)
        } else if let d = try? c.decode(Double.self) {
            text = String(d)
        } else if let b = try? c.decode(Bool.self) {
            text = String(b)
        } else if c.decodeNil() {
            text = ""
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a string or a number")
        }
    }
}

/// A JSON boolean, or the strings "true"/"false" some old dashboards hold.
struct LooseBool: Decodable {
    var value: Bool
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) {
            value = b
        } else if let s = try? c.decode(String.self) {
            value = s == "true"
        } else {
            value = false
        }
    }
}

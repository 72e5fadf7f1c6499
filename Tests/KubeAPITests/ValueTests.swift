import KubeglassCore
import Testing

@testable import KubeAPI

/// Strings, numbers and wrong-typed values, through the decoders that use them.
@Suite struct ValueTests {
    func podName(_ json: String) throws -> String {
        try KubeDecode.podList(bytes(#"{"items":[{"metadata":{"name":"# + json + "}}]}")).items[0].name
    }

    func error(_ body: String, _ decode: ([UInt8]) throws(KubeDecodeError) -> Void) -> String? {
        do {
            try decode(bytes(body))
            return nil
        } catch {
            return error.message
        }
    }

    @Test func stringEscapes() throws {
        #expect(try podName(#""a\"b\\c\/d\b\f\n\r\t""#) == "a\"b\\c/d\u{8}\u{C}\n\r\t")
        #expect(try podName(#""caf\u00e9 \u2603 \u0000""#) == "café ☃ \u{0}")
        #expect(try podName(#""\ud83d\ude80 rocket""#) == "🚀 rocket")
        #expect(try podName(#""\uD83D\uDE80""#) == "🚀")
        #expect(try podName(#""grüße 日本 🚀""#) == "grüße 日本 🚀")
        #expect(try podName(#""""#) == "")
    }

    @Test func repeatedAndUnicodeStringsKeepTheirValues() throws {
        let pod =
            #"{"metadata":{"name":"p%d","namespace":"a-namespace-longer-than-15","labels":{"ключ-длиннее-15":"значение","app.kubernetes.io/name":"same-long-label-value-%d"}},"spec":{"containers":[{"name":"c","image":"registry.example.com/team/image:%d"}]}}"#
        var body = #"{"items":["#
        for i in 0..<50 {
            if i > 0 { body += "," }
            body += pod.replacingOccurrences("%d", with: "\(i % 3)")
        }
        body += "]}"
        let pods = try KubeDecode.podList(bytes(body)).items
        #expect(pods.count == 50)
        for (i, pod) in pods.enumerated() {
            #expect(pod.namespace == "a-namespace-longer-than-15")
            #expect(
                pod.labels == [
                    "ключ-длиннее-15": "значение", "app.kubernetes.io/name": "same-long-label-value-\(i % 3)",
                ])
            #expect(pod.containers[0].image == "registry.example.com/team/image:\(i % 3)")
        }
    }

    @Test func escapedKeysStillMatch() throws {
        let list = try KubeDecode.podList(
            bytes(#"{"items":[{"meta\u0064ata":{"n\u0061me":"x","labels":{"a\/b":"c"}}}]}"#))
        #expect(list.items[0].name == "x")
        #expect(list.items[0].labels == ["a/b": "c"])
    }

    @Test func badUnicodeIsAnError() {
        let decode: ([UInt8]) throws(KubeDecodeError) -> Void = { b throws(KubeDecodeError) in
            _ = try KubeDecode.podList(b)
        }
        #expect(
            error(#"{"items":[{"metadata":{"name":"\ud83d"}}]}"#, decode)
                == "invalid \\u escape: a high surrogate is not followed by a low surrogate")
        #expect(
            error(#"{"items":[{"metadata":{"name":"\ud83d\u0041"}}]}"#, decode)
                == "invalid \\u escape: a high surrogate is not followed by a low surrogate")
        #expect(
            error(#"{"items":[{"metadata":{"name":"\ude80"}}]}"#, decode)
                == "invalid \\u escape: a low surrogate without a high surrogate")
        var invalid = bytes(#"{"items":[{"metadata":{"name":"ab"}}]}"#)
        invalid[32] = 0xFF
        #expect(throws: KubeDecodeError(offset: 31, message: "a string is not valid UTF-8")) {
            try KubeDecode.podList(invalid)
        }
    }

    @Test func wrongTypesNameTheObjectAndField() {
        let pods: ([UInt8]) throws(KubeDecodeError) -> Void = { b throws(KubeDecodeError) in
            _ = try KubeDecode.podList(b)
        }
        #expect(
            error(#"{"items":[{"metadata":{"name":"etcd-1","namespace":"kube-system"},"spec":{"nodeName":42}}]}"#, pods)
                == "pod kube-system/etcd-1: spec.nodeName must be a string, not a number")
        #expect(
            error(
                #"{"items":[{"metadata":{"name":"a","namespace":"b"},"status":{"containerStatuses":[{"name":"c"},{"restartCount":1.5}]}}]}"#,
                pods)
                == "pod b/a: status.containerStatuses[1].restartCount must be an integer, not 1.5")
        #expect(
            error(
                #"{"items":[{"metadata":{"name":"a","namespace":"b"},"status":{"containerStatuses":[{"restartCount":-2e3}]}}]}"#,
                pods)
                == "pod b/a: status.containerStatuses[0].restartCount must be an integer, not -2e3")
        #expect(
            error(
                #"{"items":[{"metadata":{"name":"a","namespace":"b"},"status":{"containerStatuses":[{"restartCount":99999999999999999999}]}}]}"#,
                pods)
                == "pod b/a: status.containerStatuses[0].restartCount must fit in a 64-bit integer, not 99999999999999999999"
        )
        #expect(
            error(
                #"{"items":[{"metadata":{"name":"a","namespace":"b"},"spec":{"containers":[{"resources":{"limits":{"cpu":"12x"}}}]}}]}"#,
                pods)
                == #"pod b/a: spec.containers[0].resources.limits.cpu "12x" is not a quantity (expected a number and a suffix such as 100m, 1.5Gi or 129e6)"#
        )
        #expect(
            error(
                #"{"items":[{"metadata":{"name":"a","namespace":"b","ownerReferences":[{"controller":"yes"}]}}]}"#, pods
            )
                == "pod b/a: metadata.ownerReferences[0].controller must be true or false, not a string")
        #expect(
            error(#"{"items":[{"metadata":{"name":"a","namespace":"b","creationTimestamp":"yesterday"}}]}"#, pods)
                == #"pod b/a: metadata.creationTimestamp "yesterday" is not an RFC 3339 time such as "2022-01-27T18:48:33Z""#
        )
        #expect(
            error(#"{"items":[{"metadata":{"labels":{"app":7}}}]}"#, pods)
                == "pod items[0]: metadata.labels.app must be a string, not a number")
        #expect(error(#"{"items":[{},"pod"]}"#, pods) == "pod items[1]: must be an object, not a string")
        #expect(error(#"{"items":{}}"#, pods) == "items must be an array, not an object")

        let podMetrics: ([UInt8]) throws(KubeDecodeError) -> Void = { b throws(KubeDecodeError) in
            _ = try KubeDecode.podMetricsList(b)
        }
        #expect(
            error(
                #"{"items":[{"metadata":{"name":"etcd-1","namespace":"kube-system"},"containers":[{"name":"etcd","usage":{"cpu":"12x","memory":"1Mi"}}]}]}"#,
                podMetrics)?
                .hasPrefix(#"pod kube-system/etcd-1: containers[0].usage.cpu "12x" is not a quantity"#) == true)
        #expect(
            error(#"{"items":[{"metadata":{"name":"p","namespace":"n"},"window":"30 s"}]}"#, podMetrics)
                == #"pod n/p: window "30 s" is not a duration such as "30s""#)

        let summary: ([UInt8]) throws(KubeDecodeError) -> Void = { b throws(KubeDecodeError) in
            _ = try KubeDecode.summary(b)
        }
        #expect(
            error(#"{"node":{"nodeName":"n","memory":{"usageBytes":-1}}}"#, summary)
                == "node.memory.usageBytes must be a non-negative integer, not -1")
        #expect(
            error(#"{"node":{"fs":{"usedBytes":1.0}}}"#, summary)
                == "node.fs.usedBytes must be a non-negative integer, not 1.0")
        #expect(
            error(#"{"node":{"fs":{"usedBytes":18446744073709551616}}}"#, summary)
                == "node.fs.usedBytes must fit in a 64-bit integer, not 18446744073709551616")
        #expect(
            error(
                #"{"pods":[{"podRef":{"name":"p","namespace":"n"},"network":{"interfaces":[{"rxBytes":"1"}]}}]}"#,
                summary)
                == "summary of pod n/p: network.interfaces[0].rxBytes must be a non-negative integer, not a string")
    }

    @Test func bigNumbersWhereTheyFit() throws {
        let summary = try KubeDecode.summary(
            bytes(
                #"{"node":{"nodeName":"n","fs":{"usedBytes":18446744073709551615,"availableBytes":0,"capacityBytes":-0}}}"#
            ))
        #expect(summary.node.fs?.usedBytes == .max)
        #expect(summary.node.fs?.capacityBytes == 0)
        let events = try KubeDecode.eventList(
            bytes(#"{"items":[{"count":9223372036854775807},{"count":-9223372036854775808},{"count":0}]}"#))
        #expect(events.items.map(\.count) == [.max, .min, 0])
        // Numbers in skipped fields may be anything JSON allows.
        #expect(
            try KubeDecode.podList(bytes(#"{"items":[{"x":[-0.0,1e400,-1.5E-7,123456789012345678901234567890]}]}"#))
                .items.count == 1)
    }

    @Test func quantitiesMayBeBareNumbers() throws {
        let list = try KubeDecode.nodeList(bytes(#"{"items":[{"status":{"capacity":{"cpu":4,"memory":1.5e3}}}]}"#))
        #expect(list.items[0].capacity["cpu"] == Quantity(value: 4))
        #expect(list.items[0].capacity["memory"] == Quantity(value: 1500))
    }
}

extension String {
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

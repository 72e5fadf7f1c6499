import KubeAPI
import KubeglassCore
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Decoding speed for a 150,000-pod cluster. Runs only with KUBEGLASS_BENCH=1, in release:
/// `KUBEGLASS_BENCH=1 swift test -c release -Xswiftc -enable-testing --scratch-path .build-kubeapi-rel --filter DecodeBenchmark`
@Suite(.enabled(if: getenv("KUBEGLASS_BENCH") != nil), .serialized)
struct DecodeBenchmark {
    static let pods = 150_000

    @Test func podMetricsList() throws {
        let body = Self.podMetricsListBody(pods: Self.pods)
        let (seconds, list) = try Self.measure(body) { try KubeDecode.podMetricsList($0) }
        #expect(list.items.count == Self.pods)
        Self.report("PodMetricsList", body, seconds)
    }

    @Test func podList() throws {
        let body = Self.podListBody(pods: Self.pods)
        let (seconds, list) = try Self.measure(body) { try KubeDecode.podList($0) }
        #expect(list.items.count == Self.pods)
        #expect(list.items.last?.containerStatuses.isEmpty == false)
        Self.report("PodList", body, seconds)
    }

    /// The best of three runs, wall clock and this thread's CPU time (other processes on a busy
    /// machine stretch the first, not the second).
    static func measure<T>(_ body: [UInt8], _ decode: ([UInt8]) throws -> T) throws -> ((wall: Double, cpu: Double), T)
    {
        var best = (wall: Double.infinity, cpu: Double.infinity)
        var result: T?
        for _ in 0..<3 {
            result = nil
            let cpuStart = threadCPUSeconds()
            let start = ContinuousClock.now
            result = try decode(body)
            let elapsed = ContinuousClock.now - start
            let cpu = threadCPUSeconds() - cpuStart
            best.wall = min(
                best.wall, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            best.cpu = min(best.cpu, cpu)
        }
        return (best, result!)
    }

    static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    static func report(_ name: String, _ body: [UInt8], _ seconds: (wall: Double, cpu: Double)) {
        let megabytes = Double(body.count) / 1_000_000
        print(
            "bench \(name): \(pods) pods, \(fixed(megabytes, 1)) MB (\(body.count / pods) B/pod): wall \(fixed(seconds.wall, 3)) s = \(fixed(megabytes / seconds.wall, 0)) MB/s, CPU \(fixed(seconds.cpu, 3)) s = \(fixed(megabytes / seconds.cpu, 0)) MB/s"
        )
    }

    static func fixed(_ value: Double, _ places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        guard places > 0 else { return "\(scaled)" }
        let fraction = String(scaled % Int(scale))
        return "\(scaled / Int(scale)).\(String(repeating: "0", count: places - fraction.count))\(fraction)"
    }

    static func podMetricsListBody(pods: Int) -> [UInt8] {
        var random = SplitMix64(state: 1)
        var out = #"{"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":["#
        for i in 0..<pods {
            if i > 0 { out += "," }
            out +=
                #"{"metadata":{"name":"app-\#(i % 997)-7d9c8b6f5d-\#(i)","namespace":"ns-\#(i % 300)","creationTimestamp":"2024-03-05T09:14:27Z","labels":{"app":"app-\#(i % 997)","pod-template-hash":"7d9c8b6f5d"}},"timestamp":"2024-03-05T09:44:\#(10 + i % 50)Z","window":"\#(10 + i % 20)s","containers":["#
            for c in 0..<Int.random(in: 1...3, using: &random) {
                if c > 0 { out += "," }
                out +=
                    #"{"name":"container-\#(c)","usage":{"cpu":"\#(UInt64.random(in: 0...4_000_000_000, using: &random))n","memory":"\#(UInt64.random(in: 1000...8_000_000, using: &random))Ki"}}"#
            }
            out += "]}"
        }
        out += "]}"
        return Array(out.utf8)
    }

    static func podListBody(pods: Int) -> [UInt8] {
        var random = SplitMix64(state: 2)
        var out = #"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"987654321"},"items":["#
        for i in 0..<pods {
            if i > 0 { out += "," }
            let app = "app-\(i % 997)"
            let name = "\(app)-7d9c8b6f5d-\(String(i, radix: 36))"
            let containers = Int.random(in: 1...3, using: &random)
            out +=
                #"{"metadata":{"name":"\#(name)","generateName":"\#(app)-7d9c8b6f5d-","namespace":"ns-\#(i % 300)","uid":"4f0c3a0e-8d5b-4a4e-9a52-\#(String(100_000_000_000 + i, radix: 16))","resourceVersion":"\#(183_201 + i)","creationTimestamp":"2024-03-05T09:14:27Z","labels":{"app":"\#(app)","pod-template-hash":"7d9c8b6f5d","team":"team-\#(i % 17)"},"annotations":{"kubectl.kubernetes.io/restartedAt":"2024-03-05T09:14:20Z"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"\#(app)-7d9c8b6f5d","uid":"0b6f9b3c-54a1-4d10-9b6b-0e2b4b0a7e55","controller":true,"blockOwnerDeletion":true}]},"spec":{"containers":["#
            for c in 0..<containers {
                if c > 0 { out += "," }
                out +=
                    #"{"name":"container-\#(c)","image":"registry.example.com/\#(app)/c\#(c):1.\#(i % 10).0","resources":{"limits":{"cpu":"\#(Int.random(in: 1...8, using: &random) * 250)m","memory":"\#(Int.random(in: 1...16, using: &random) * 128)Mi"},"requests":{"cpu":"\#(Int.random(in: 1...4, using: &random) * 50)m","memory":"\#(Int.random(in: 1...8, using: &random) * 64)Mi"}},"terminationMessagePath":"/dev/termination-log","imagePullPolicy":"IfNotPresent"}"#
            }
            out +=
                #"],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"default","nodeName":"node-\#(i % 5000)","schedulerName":"default-scheduler","priority":0},"status":{"phase":"Running","conditions":[{"type":"Initialized","status":"True","lastProbeTime":null,"lastTransitionTime":"2024-03-05T09:14:27Z"},{"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"2024-03-05T09:14:31Z"},{"type":"ContainersReady","status":"True","lastProbeTime":null,"lastTransitionTime":"2024-03-05T09:14:31Z"},{"type":"PodScheduled","status":"True","lastProbeTime":null,"lastTransitionTime":"2024-03-05T09:14:27Z"}],"hostIP":"10.0.\#(i % 250).\#(i % 200)","podIP":"10.244.\#(i % 250).\#(i % 200)","startTime":"2024-03-05T09:14:27Z","containerStatuses":["#
            for c in 0..<containers {
                if c > 0 { out += "," }
                out +=
                    #"{"name":"container-\#(c)","state":{"running":{"startedAt":"2024-03-05T09:14:29Z"}},"lastState":{},"ready":true,"restartCount":\#(Int.random(in: 0...3, using: &random)),"image":"registry.example.com/\#(app)/c\#(c):1.\#(i % 10).0","started":true}"#
            }
            out += #"],"qosClass":"Burstable"}}"#
        }
        out += "]}"
        return Array(out.utf8)
    }
}

/// The series that store-backed sources (demo, metrics API, summary) write, named like
/// Prometheus metrics so dashboards query them in PromQL. Labels: `node` on node series;
/// `namespace`, `pod`, `node` on pod series; plus `container` on container series.
/// The README documents them; keep the two in step.
public enum SeriesNames {
    // Nodes
    public static let nodeCPUUsage = "kubeglass_node_cpu_usage_cores"
    public static let nodeCPUAllocatable = "kubeglass_node_cpu_allocatable_cores"
    public static let nodeCPUCapacity = "kubeglass_node_cpu_capacity_cores"
    public static let nodeMemoryWorkingSet = "kubeglass_node_memory_working_set_bytes"
    public static let nodeMemoryUsage = "kubeglass_node_memory_usage_bytes"
    public static let nodeMemoryAllocatable = "kubeglass_node_memory_allocatable_bytes"
    public static let nodeMemoryCapacity = "kubeglass_node_memory_capacity_bytes"
    public static let nodeNetworkReceive = "kubeglass_node_network_receive_bytes_per_second"
    public static let nodeNetworkTransmit = "kubeglass_node_network_transmit_bytes_per_second"
    public static let nodeFilesystemUsage = "kubeglass_node_filesystem_usage_bytes"
    public static let nodeFilesystemCapacity = "kubeglass_node_filesystem_capacity_bytes"
    public static let nodePods = "kubeglass_node_pods"
    public static let nodePodCapacity = "kubeglass_node_pod_capacity"
    /// Always 1; labels `status` (`Ready`, `Ready,MemoryPressure`, `NotReady`), `ready` (`true`/`false`).
    public static let nodeInfo = "kubeglass_node_info"
    /// Usage ÷ allocatable (0–1), as `kubectl top node` shows in percent.
    public static let nodeCPUUsageRatio = "kubeglass_node_cpu_usage_ratio"
    public static let nodeMemoryUsageRatio = "kubeglass_node_memory_usage_ratio"

    // Nodes, read from /proc by `--source local` only
    /// Labels `mode` (user, nice, system, idle, iowait, irq, softirq, steal): cores spent in each.
    public static let nodeCPUModeCores = "kubeglass_node_cpu_mode_cores"
    public static let nodeLoad1 = "kubeglass_node_load1"
    public static let nodeLoad5 = "kubeglass_node_load5"
    public static let nodeLoad15 = "kubeglass_node_load15"
    public static let nodeMemoryAvailable = "kubeglass_node_memory_available_bytes"
    /// Labels `interface`.
    public static let nodeInterfaceReceive = "kubeglass_node_interface_receive_bytes_per_second"
    public static let nodeInterfaceTransmit = "kubeglass_node_interface_transmit_bytes_per_second"
    /// Labels `device`, `mountpoint`, `fstype`.
    public static let nodeMountUsage = "kubeglass_node_mount_usage_bytes"
    public static let nodeMountCapacity = "kubeglass_node_mount_capacity_bytes"
    /// Labels `device` (whole disks).
    public static let nodeDiskRead = "kubeglass_node_disk_read_bytes_per_second"
    public static let nodeDiskWrite = "kubeglass_node_disk_write_bytes_per_second"
    /// Labels `resource` (cpu, memory, io): the share of the last 10 s that some (or all) tasks stalled.
    public static let nodePressureSome = "kubeglass_node_pressure_some_ratio"
    public static let nodePressureFull = "kubeglass_node_pressure_full_ratio"

    // Pods
    public static let podCPUUsage = "kubeglass_pod_cpu_usage_cores"
    public static let podMemoryWorkingSet = "kubeglass_pod_memory_working_set_bytes"
    public static let podMemoryUsage = "kubeglass_pod_memory_usage_bytes"
    public static let podCPURequests = "kubeglass_pod_cpu_requests_cores"
    public static let podCPULimits = "kubeglass_pod_cpu_limits_cores"
    public static let podMemoryRequests = "kubeglass_pod_memory_requests_bytes"
    public static let podMemoryLimits = "kubeglass_pod_memory_limits_bytes"
    public static let podNetworkReceive = "kubeglass_pod_network_receive_bytes_per_second"
    public static let podNetworkTransmit = "kubeglass_pod_network_transmit_bytes_per_second"
    public static let podRestarts = "kubeglass_pod_restarts_total"
    /// Always 1; labels `phase`, `status` (as kubectl's STATUS column), `owner_kind`, `owner_name`.
    public static let podInfo = "kubeglass_pod_info"
    /// Usage ÷ requests and usage ÷ limits (limits only when every container has one).
    public static let podCPURequestRatio = "kubeglass_pod_cpu_request_ratio"
    public static let podCPULimitRatio = "kubeglass_pod_cpu_limit_ratio"
    public static let podMemoryRequestRatio = "kubeglass_pod_memory_request_ratio"
    public static let podMemoryLimitRatio = "kubeglass_pod_memory_limit_ratio"

    // Namespaces (pending and running pods)
    public static let namespacePods = "kubeglass_namespace_pods"
    public static let namespaceCPUUsage = "kubeglass_namespace_cpu_usage_cores"
    public static let namespaceMemoryWorkingSet = "kubeglass_namespace_memory_working_set_bytes"
    public static let namespaceCPURequests = "kubeglass_namespace_cpu_requests_cores"
    public static let namespaceMemoryRequests = "kubeglass_namespace_memory_requests_bytes"
    public static let namespaceCPULimits = "kubeglass_namespace_cpu_limits_cores"
    public static let namespaceMemoryLimits = "kubeglass_namespace_memory_limits_bytes"
    /// Every pod of the namespace, finished ones too, counted by `status` (as kubectl's STATUS column):
    /// cluster-wide pod counts that stay whole when `--max-series` cannot keep every pod's series.
    public static let namespacePodsByStatus = "kubeglass_namespace_pods_by_status"

    // Containers
    public static let containerCPUUsage = "kubeglass_container_cpu_usage_cores"
    public static let containerMemoryWorkingSet = "kubeglass_container_memory_working_set_bytes"
    public static let containerCPURequests = "kubeglass_container_cpu_requests_cores"
    public static let containerCPULimits = "kubeglass_container_cpu_limits_cores"
    public static let containerMemoryRequests = "kubeglass_container_memory_requests_bytes"
    public static let containerMemoryLimits = "kubeglass_container_memory_limits_bytes"
    /// `--source local` only: the share of CFS periods throttled, seconds throttled per second, and
    /// OOM kills (a counter) of each container's cgroup.
    public static let containerCPUThrottledRatio = "kubeglass_container_cpu_throttled_ratio"
    public static let containerCPUThrottledSeconds = "kubeglass_container_cpu_throttled_seconds_per_second"
    public static let containerOOMKills = "kubeglass_container_oom_kills_total"
}

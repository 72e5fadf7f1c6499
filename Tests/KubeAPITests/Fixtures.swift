/// Response bodies shaped as real servers send them (API server 1.29–1.32, metrics-server 0.7,
/// kubelet 1.30 `/stats/summary`), trimmed to a few objects each. Fields kubeglass skips are kept
/// on purpose, so the tests prove they are skipped.
enum Fixtures {
    /// `kubectl get nodes -o json` wraps the items in `kind: List`.
    static let nodeList = #"""
        {
            "apiVersion": "v1",
            "items": [
                {
                    "apiVersion": "v1",
                    "kind": "Node",
                    "metadata": {
                        "annotations": {
                            "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
                            "node.alpha.kubernetes.io/ttl": "0",
                            "volumes.kubernetes.io/controller-managed-attach-detach": "true"
                        },
                        "creationTimestamp": "2022-01-27T18:48:33Z",
                        "labels": {
                            "beta.kubernetes.io/arch": "amd64",
                            "kubernetes.io/hostname": "minikube",
                            "node-role.kubernetes.io/control-plane": ""
                        },
                        "managedFields": [
                            {"apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:kubernetes.io/hostname": {}}}}, "manager": "kubelet", "operation": "Update", "time": "2022-01-27T18:48:33Z"}
                        ],
                        "name": "minikube",
                        "resourceVersion": "4102",
                        "uid": "7f3d0d3a-5b0c-4c0e-9c55-1d1b5e6c7a01"
                    },
                    "spec": {
                        "podCIDR": "10.244.0.0/24",
                        "podCIDRs": ["10.244.0.0/24"],
                        "taints": [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]
                    },
                    "status": {
                        "addresses": [
                            {"address": "192.168.49.2", "type": "InternalIP"},
                            {"address": "minikube", "type": "Hostname"}
                        ],
                        "allocatable": {"cpu": "4", "ephemeral-storage": "61255492Ki", "hugepages-2Mi": "0", "memory": "16393232Ki", "pods": "110"},
                        "capacity": {"cpu": "4", "ephemeral-storage": "61255492Ki", "hugepages-2Mi": "0", "memory": "16495632Ki", "pods": "110"},
                        "conditions": [
                            {"lastHeartbeatTime": "2022-01-27T19:24:01Z", "lastTransitionTime": "2022-01-27T18:48:30Z", "message": "kubelet has sufficient memory available", "reason": "KubeletHasSufficientMemory", "status": "False", "type": "MemoryPressure"},
                            {"lastHeartbeatTime": "2022-01-27T19:24:01Z", "lastTransitionTime": "2022-01-27T18:48:30Z", "message": "kubelet has no disk pressure", "reason": "KubeletHasNoDiskPressure", "status": "False", "type": "DiskPressure"},
                            {"lastHeartbeatTime": "2022-01-27T19:24:01Z", "lastTransitionTime": "2022-01-27T18:49:05Z", "message": "kubelet is posting ready status", "reason": "KubeletReady", "status": "True", "type": "Ready"}
                        ],
                        "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                        "images": [
                            {"names": ["registry.k8s.io/etcd@sha256:64b9ea357325d5db9f8a723dcf503b5a449177b17ac87d69481e126bb724c263", "registry.k8s.io/etcd:3.5.1-0"], "sizeBytes": 98888614}
                        ],
                        "nodeInfo": {
                            "architecture": "amd64",
                            "bootID": "a3c8b6a8-2a26-4d7c-9a7d-2b5d0c0f5f35",
                            "containerRuntimeVersion": "containerd://1.4.12",
                            "kernelVersion": "5.15.0-91-generic",
                            "kubeProxyVersion": "v1.23.1",
                            "kubeletVersion": "v1.23.1",
                            "machineID": "b3f1",
                            "operatingSystem": "linux",
                            "osImage": "Ubuntu 20.04.2 LTS",
                            "systemUUID": "b3f1"
                        }
                    }
                },
                {
                    "apiVersion": "v1",
                    "kind": "Node",
                    "metadata": {"name": "worker-2", "creationTimestamp": "2022-01-28T08:00:00Z", "labels": {"kubernetes.io/hostname": "worker-2"}},
                    "spec": {"unschedulable": true, "taints": [{"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable", "timeAdded": "2022-01-28T09:00:00Z"}]},
                    "status": {
                        "addresses": [{"address": "worker-2", "type": "Hostname"}, {"address": "10.0.0.12", "type": "InternalIP"}, {"address": "10.0.0.99", "type": "InternalIP"}],
                        "allocatable": {"cpu": "7800m", "memory": "30Gi", "pods": "110"},
                        "capacity": {"cpu": "8", "memory": "32Gi", "pods": "110"},
                        "conditions": [{"type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown", "message": "Kubelet stopped posting node status."}],
                        "nodeInfo": {"kubeletVersion": "v1.30.2"}
                    }
                }
            ],
            "kind": "List",
            "metadata": {
                "resourceVersion": ""
            }
        }
        """#

    static let nodeMetricsList = #"""
        {"kind":"NodeMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[{"metadata":{"name":"minikube","creationTimestamp":"2022-01-27T18:48:43Z","labels":{"kubernetes.io/hostname":"minikube"}},"timestamp":"2022-01-27T18:48:33Z","window":"30s","usage":{"cpu":"487558164n","memory":"732212Ki"}},{"metadata":{"name":"worker-2","creationTimestamp":"2022-01-27T18:48:43Z"},"timestamp":"2022-01-27T18:48:31.5Z","window":"1m0s","usage":{"cpu":"1500m","memory":"16393232Ki"}},{"metadata":{"name":"worker-3"},"timestamp":"2022-01-27T18:48:30Z","window":"10.5s","usage":{"cpu":"2","memory":"1e3","ephemeral-storage":"0"}}]}
        """#

    static let podMetricsList = #"""
        {"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[{"metadata":{"name":"kube-scheduler-minikube","namespace":"kube-system","creationTimestamp":"2022-01-27T19:24:40Z","labels":{"component":"kube-scheduler","tier":"control-plane"}},"timestamp":"2022-01-27T19:24:31Z","window":"30s","containers":[{"name":"kube-scheduler","usage":{"cpu":"9559630n","memory":"22244Ki"}}]},{"metadata":{"name":"web-7d9c8b6f5d-x2lkq","namespace":"default","creationTimestamp":"2022-01-27T19:24:40Z"},"timestamp":"2022-01-27T19:24:29Z","window":"15s","containers":[{"name":"web","usage":{"cpu":"1m","memory":"3012Ki"}},{"name":"metrics-sidecar","usage":{"cpu":"0","memory":"0"}}]}]}
        """#

    static let eventList = #"""
        {
          "kind": "EventList",
          "apiVersion": "v1",
          "metadata": {"resourceVersion": "190001"},
          "items": [
            {
              "metadata": {"name": "api-5c6b9d7f4-8hq2m.17b9a3c4d5e6f701", "namespace": "shop", "uid": "e1", "resourceVersion": "189000", "creationTimestamp": "2024-03-05T09:01:00Z"},
              "involvedObject": {"kind": "Pod", "namespace": "shop", "name": "api-5c6b9d7f4-8hq2m", "uid": "9a1d2c3b", "apiVersion": "v1", "resourceVersion": "1801", "fieldPath": "spec.containers{api}"},
              "reason": "BackOff",
              "message": "Back-off restarting failed container api in pod api-5c6b9d7f4-8hq2m_shop(9a1d2c3b)",
              "source": {"component": "kubelet", "host": "worker-2"},
              "firstTimestamp": "2024-03-05T09:01:00Z",
              "lastTimestamp": "2024-03-05T09:44:12Z",
              "count": 183,
              "type": "Warning",
              "eventTime": null,
              "reportingComponent": "kubelet",
              "reportingInstance": "worker-2"
            },
            {
              "metadata": {"name": "gpu-trainer-0.17b9a3c4d5e6f702", "namespace": "ml", "uid": "e2", "creationTimestamp": "2024-03-05T08:30:00Z"},
              "involvedObject": {"kind": "Pod", "namespace": "ml", "name": "gpu-trainer-0", "uid": "d4d4d4d4", "apiVersion": "v1"},
              "reason": "FailedScheduling",
              "message": "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
              "source": {},
              "firstTimestamp": null,
              "lastTimestamp": null,
              "type": "Warning",
              "eventTime": "2024-03-05T08:30:00.123456Z",
              "series": {"count": 4, "lastObservedTime": "2024-03-05T08:40:00.000000Z"},
              "action": "Scheduling",
              "reportingComponent": "default-scheduler",
              "reportingInstance": "default-scheduler-control-plane"
            },
            {
              "metadata": {"name": "web.17b9a3c4d5e6f703", "namespace": "default"},
              "involvedObject": {"kind": "Deployment", "namespace": "default", "name": "web"},
              "reason": "ScalingReplicaSet",
              "message": "Scaled up replica set web-7d9c8b6f5d to 3 from 2",
              "source": {"component": "deployment-controller"},
              "firstTimestamp": "2024-03-05T09:14:27Z",
              "type": "Normal"
            }
          ]
        }
        """#

    /// `GET /api/v1/nodes/worker-1/proxy/stats/summary` from a kubelet 1.30, one pod kept.
    static let summary = #"""
        {
         "node": {
          "nodeName": "worker-1",
          "systemContainers": [
           {"name": "kubelet", "startTime": "2024-03-01T07:00:00Z", "cpu": {"time": "2024-03-05T09:45:01Z", "usageNanoCores": 21735482, "usageCoreNanoSeconds": 9911293456780}, "memory": {"time": "2024-03-05T09:45:01Z", "usageBytes": 91435008, "workingSetBytes": 60817408, "rssBytes": 51773440, "pageFaults": 1280531, "majorPageFaults": 12}}
          ],
          "startTime": "2024-03-01T06:59:40Z",
          "cpu": {"time": "2024-03-05T09:45:01Z", "usageNanoCores": 412839123, "usageCoreNanoSeconds": 167483991823451},
          "memory": {"time": "2024-03-05T09:45:01Z", "availableBytes": 12884901888, "usageBytes": 5368709120, "workingSetBytes": 4294967296, "rssBytes": 3221225472, "pageFaults": 92837465, "majorPageFaults": 4121},
          "network": {"time": "2024-03-05T09:45:01Z", "name": "eth0", "rxBytes": 98234871234, "rxErrors": 0, "txBytes": 45123987123, "txErrors": 0,
           "interfaces": [{"name": "eth0", "rxBytes": 98234871234, "rxErrors": 0, "txBytes": 45123987123, "txErrors": 0}, {"name": "cni0", "rxBytes": 1234, "rxErrors": 0, "txBytes": 5678, "txErrors": 0}]},
          "fs": {"time": "2024-03-05T09:45:01Z", "availableBytes": 40532987904, "capacityBytes": 104560844800, "usedBytes": 58691682304, "inodesFree": 6144000, "inodes": 6553600, "inodesUsed": 409600},
          "runtime": {"imageFs": {"time": "2024-03-05T09:45:01Z", "availableBytes": 40532987904, "capacityBytes": 104560844800, "usedBytes": 9876543210, "inodesFree": 6144000, "inodes": 6553600, "inodesUsed": 12345}},
          "rlimit": {"time": "2024-03-05T09:45:01Z", "maxpid": 4194304, "curproc": 812}
         },
         "pods": [
          {
           "podRef": {"name": "web-7d9c8b6f5d-x2lkq", "namespace": "default", "uid": "4f0c3a0e-8d5b-4a4e-9a52-7f4f2b1e9c11"},
           "startTime": "2024-03-05T09:14:27Z",
           "containers": [
            {"name": "web", "startTime": "2024-03-05T09:14:29Z",
             "cpu": {"time": "2024-03-05T09:44:58Z", "usageNanoCores": 1203344, "usageCoreNanoSeconds": 2219873345},
             "memory": {"time": "2024-03-05T09:44:58Z", "availableBytes": 264302592, "usageBytes": 6422528, "workingSetBytes": 4132864, "rssBytes": 3084288, "pageFaults": 2310, "majorPageFaults": 0},
             "rootfs": {"time": "2024-03-05T09:44:58Z", "availableBytes": 40532987904, "capacityBytes": 104560844800, "usedBytes": 49152, "inodesFree": 6144000, "inodes": 6553600, "inodesUsed": 14},
             "logs": {"time": "2024-03-05T09:44:58Z", "availableBytes": 40532987904, "capacityBytes": 104560844800, "usedBytes": 20480, "inodesFree": 6144000, "inodes": 6553600, "inodesUsed": 3}}
           ],
           "cpu": {"time": "2024-03-05T09:44:58Z", "usageNanoCores": 1305873, "usageCoreNanoSeconds": 2410938475},
           "memory": {"time": "2024-03-05T09:44:58Z", "usageBytes": 7159808, "workingSetBytes": 4792320, "rssBytes": 3186688, "pageFaults": 0, "majorPageFaults": 0},
           "network": {"time": "2024-03-05T09:44:59Z", "name": "eth0", "rxBytes": 1893445, "rxErrors": 0, "txBytes": 7723411, "txErrors": 0, "interfaces": [{"name": "eth0", "rxBytes": 1893445, "rxErrors": 0, "txBytes": 7723411, "txErrors": 0}]},
           "volume": [{"time": "2024-03-05T09:44:30Z", "availableBytes": 16783147008, "capacityBytes": 16783159296, "usedBytes": 12288, "inodesFree": 4097489, "inodes": 4097498, "inodesUsed": 9, "name": "kube-api-access-9xk2p"}],
           "ephemeral-storage": {"time": "2024-03-05T09:44:58Z", "availableBytes": 40532987904, "capacityBytes": 104560844800, "usedBytes": 73728, "inodesFree": 6144000, "inodes": 6553600, "inodesUsed": 17},
           "process_stats": {"process_count": 3}
          },
          {
           "podRef": {"name": "backup-28497120-tx4zp", "namespace": "ops", "uid": "c3c3c3c3"},
           "startTime": "2024-03-05T02:00:00Z",
           "containers": null,
           "cpu": {"time": "2024-03-05T09:44:58Z"},
           "memory": {"time": "2024-03-05T09:44:58Z", "workingSetBytes": 0}
          }
         ]
        }
        """#

    static let status = #"""
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User \"system:serviceaccount:default:viewer\" cannot list resource \"pods\" in API group \"\" at the cluster scope","reason":"Forbidden","details":{"kind":"pods"},"code":403}
        """#

    static let apiGroupList = #"""
        {"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}},{"name":"autoscaling","versions":[{"groupVersion":"autoscaling/v2","version":"v2"},{"groupVersion":"autoscaling/v1","version":"v1"}],"preferredVersion":{"groupVersion":"autoscaling/v2","version":"v2"}},{"name":"metrics.k8s.io","versions":[{"groupVersion":"metrics.k8s.io/v1beta1","version":"v1beta1"}],"preferredVersion":{"groupVersion":"metrics.k8s.io/v1beta1","version":"v1beta1"}},{"name":"example.com","versions":[{"groupVersion":"example.com/v1alpha1","version":"v1alpha1"}]}]}
        """#
}

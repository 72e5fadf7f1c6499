import Crypto
import Foundation
import SwiftASN1
import X509

/// The simulator's own small PKI, made fresh at every start: a CA, a server certificate for the
/// loopback names, and an admin client certificate in `system:masters`, as kubeadm makes.
public struct SimulatorPKI: Sendable {
    public let caPEM: String
    public let serverCertificatePEM: String
    public let serverKeyPEM: String
    public let clientCertificatePEM: String
    public let clientKeyPEM: String

    public static let clientCommonName = "kubeglass-sim-admin"

    /// `hosts` are extra names or IP addresses the server certificate must cover (e.g. `--address`).
    public init(hosts: [String] = []) throws {
        let now = Date()
        let notBefore = now.addingTimeInterval(-3600)
        let notAfter = now.addingTimeInterval(365 * 86_400)
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("kubeglass-sim-ca") }
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
                SubjectKeyIdentifier(hash: .init(caKey.publicKey))
            },
            issuerPrivateKey: .init(caKey))

        var names: [GeneralName] = [.dnsName("localhost")]
        for host in ["127.0.0.1", "::1"] + hosts {
            if let ip = SimulatorPKI.ipBytes(host) {
                if !names.contains(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(ip)))) {
                    names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(ip))))
                }
            } else if !names.contains(.dnsName(host)) {
                names.append(.dnsName(host))
            }
        }
        let serverKey = P256.Signing.PrivateKey()
        let server = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(serverKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName,
            subject: try DistinguishedName { CommonName("kube-apiserver") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: .init(caKey))

        let clientKey = P256.Signing.PrivateKey()
        let client = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(clientKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName,
            subject: try DistinguishedName {
                OrganizationName("system:masters")
                CommonName(SimulatorPKI.clientCommonName)
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.clientAuth])
            },
            issuerPrivateKey: .init(caKey))

        caPEM = try ca.serializeAsPEM().pemString
        serverCertificatePEM = try server.serializeAsPEM().pemString
        serverKeyPEM = serverKey.pemRepresentation
        clientCertificatePEM = try client.serializeAsPEM().pemString
        clientKeyPEM = clientKey.pemRepresentation
    }

    /// The 4 or 16 bytes of an IP address literal, or nil for a host name.
    static func ipBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

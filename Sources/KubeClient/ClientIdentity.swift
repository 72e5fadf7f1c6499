import NIOSSL

/// A client certificate chain and its private key, parsed and ready for TLS.
/// `fingerprint` tells two identities apart without keeping the key's text around for comparison.
struct ClientIdentity: Sendable, CustomStringConvertible {
    let chain: [NIOSSLCertificate]
    let key: NIOSSLPrivateKey
    let fingerprint: [UInt8]

    var description: String { "client certificate (\(chain.count) in chain)" }

    /// PEM certificate(s) and a PEM key: RSA or EC, in PKCS#1, SEC1 or PKCS#8 form.
    init(certificate: [UInt8], certificateOrigin: String, key: Secret, keyOrigin: String) throws(KubeClientError) {
        guard let chain = try? NIOSSLCertificate.fromPEMBytes(certificate), !chain.isEmpty else {
            throw KubeClientError(
                .credentials, "\(certificateOrigin) holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)")
        }
        guard let parsed = try? NIOSSLPrivateKey(bytes: key.bytes, format: .pem) else {
            throw KubeClientError(
                .credentials,
                "\(keyOrigin) holds no PEM private key that kubeglass can use (RSA or EC, in PKCS#1, SEC1 or PKCS#8 form, unencrypted)"
            )
        }
        self.chain = chain
        self.key = parsed
        var print = certificate
        print.append(0)
        print += key.bytes.count.description.utf8
        self.fingerprint = print
    }

    /// Reads the kubeconfig's client-certificate and client-key (files or -data).
    init(certificate: CredentialSource, key: CredentialSource) throws(KubeClientError) {
        let certificateBytes: [UInt8]
        let keyBytes: [UInt8]
        do { certificateBytes = try certificate.contents() } catch {
            throw KubeClientError(.credentials, "could not read \(certificate.named("client-certificate")): \(error)")
        }
        do { keyBytes = try key.contents() } catch {
            throw KubeClientError(.credentials, "could not read \(key.named("client-key")): \(error)")
        }
        try self.init(
            certificate: certificateBytes, certificateOrigin: certificate.named("client-certificate"),
            key: Secret(keyBytes), keyOrigin: key.named("client-key")
        )
    }
}

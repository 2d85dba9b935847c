#include "biometrics/package/signature_check.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <memory>

#include "biometrics/package/cms.h"

namespace rekam::pkg {

namespace {

struct BorrowedStackDeleter {
    void operator()(STACK_OF(X509) * s) const { sk_X509_free(s); }
};

bool named_issuer(X509* issuer, X509* cert) {
    return X509_NAME_cmp(X509_get_subject_name(issuer), X509_get_issuer_name(cert)) == 0;
}

bool signed_by(X509* cert, X509* issuer) {
    const bool ok = X509_verify(cert, X509_get0_pubkey(issuer)) == 1;
    ERR_clear_error();
    return ok;
}

bool self_signed(X509* cert) { return named_issuer(cert, cert) && signed_by(cert, cert); }

// Every certificate carried in the signature must be intact: signed by a certificate of its
// issuer's name (embedded or an anchor), or by itself. Without this a flipped byte in an
// unused copy of the CA certificate would go unnoticed. Issuers are matched by name, not
// X509_check_issued(), which refuses self-signed leaves lacking keyCertSign.
void check_embedded_certificates(STACK_OF(X509) * embedded, STACK_OF(X509) * anchors,
                                 VerifyReport& report) {
    for (int i = 0; i < sk_X509_num(embedded); ++i) {
        X509* cert = sk_X509_value(embedded, i);
        bool found = false, intact = false;
        for (auto* pool : {embedded, anchors}) {
            for (int k = 0; pool && !intact && k < sk_X509_num(pool); ++k) {
                X509* candidate = sk_X509_value(pool, k);
                if (!named_issuer(candidate, cert)) continue;
                found = true;
                intact = signed_by(cert, candidate);
            }
        }
        if (!found) {
            // Without its issuer a certificate cannot be checked at all, and a damaged name
            // looks exactly like this: packages must carry their chain or be verified with
            // the CA.
            report.problems.push_back(
                {"certificate-invalid", "embedded certificate " + certificate_subject(cert) +
                                            " has no issuer in the package or the given CA"});
        } else if (!intact) {
            report.problems.push_back(
                {"certificate-invalid",
                 "embedded certificate " + certificate_subject(cert) + " has a broken signature"});
        }
    }
}

// Minimal DER walk: reads one header at p, returns false when malformed.
struct Der {
    const unsigned char* p;
    long left;
    bool next(long& len, int& tag, int& cls, bool& constructed) {
        const unsigned char* start = p;
        const int r = ASN1_get_object(&p, &len, &tag, &cls, left);
        if (r & 0x80) return false;
        constructed = (r & V_ASN1_CONSTRUCTED) != 0;
        left -= static_cast<long>(p - start);
        return len <= left;
    }
    void skip(long len) {
        p += len;
        left -= len;
    }
};

// OpenSSL's CMS_verify ignores some fields no signature covers: the SignedData and
// SignerInfo versions, the encapsulated content type, the signature algorithm identifier.
// Pin them to what this signer writes (RFC 5652: both versions 1 with issuerAndSerialNumber
// and id-data; sha256; ECDSA or RSA PKCS#1), so damage there is not silently accepted.
std::string check_unsigned_fields(std::span<const std::uint8_t> p7s, CMS_ContentInfo* cms) {
    if (OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_pkcs7_data)
        return "encapsulated content type is not id-data";
    Der d{p7s.data(), static_cast<long>(p7s.size())};
    long len = 0;
    int tag = 0, cls = 0;
    bool cons = false;
    // ContentInfo SEQUENCE { contentType OID, [0] { SignedData SEQUENCE { version ...
    if (!d.next(len, tag, cls, cons) || tag != V_ASN1_SEQUENCE) return "bad ContentInfo";
    if (!d.next(len, tag, cls, cons) || tag != V_ASN1_OBJECT) return "bad content type";
    d.skip(len);
    if (!d.next(len, tag, cls, cons) || cls != V_ASN1_CONTEXT_SPECIFIC) return "bad [0]";
    if (!d.next(len, tag, cls, cons) || tag != V_ASN1_SEQUENCE) return "bad SignedData";
    if (!d.next(len, tag, cls, cons) || tag != V_ASN1_INTEGER || len != 1 || d.p[0] != 1)
        return "SignedData version is not 1";
    d.skip(len);
    // digestAlgorithms, encapContentInfo, [0] certificates, [1] crls (optional), signerInfos
    for (;;) {
        if (!d.next(len, tag, cls, cons)) return "bad SignedData field";
        if (cls == V_ASN1_UNIVERSAL && tag == V_ASN1_SET && d.left == len) break;
        d.skip(len);
    }
    if (!d.next(len, tag, cls, cons) || tag != V_ASN1_SEQUENCE || d.left != len)
        return "expected exactly one SignerInfo";
    if (!d.next(len, tag, cls, cons) || tag != V_ASN1_INTEGER || len != 1 || d.p[0] != 1)
        return "SignerInfo version is not 1";

    auto* infos = CMS_get0_SignerInfos(cms);
    if (sk_CMS_SignerInfo_num(infos) != 1) return "expected exactly one SignerInfo";
    X509_ALGOR *digest = nullptr, *signature = nullptr;
    EVP_PKEY* key = nullptr;
    X509* signer = nullptr;
    CMS_SignerInfo_get0_algs(sk_CMS_SignerInfo_value(infos, 0), &key, &signer, &digest, &signature);
    const ASN1_OBJECT* oid = nullptr;
    X509_ALGOR_get0(&oid, nullptr, nullptr, digest);
    if (OBJ_obj2nid(oid) != NID_sha256) return "digest algorithm is not SHA-256";
    X509_ALGOR_get0(&oid, nullptr, nullptr, signature);
    const int sig = OBJ_obj2nid(oid);
    if (sig != NID_ecdsa_with_SHA256 && sig != NID_rsaEncryption &&
        sig != NID_sha256WithRSAEncryption)
        return "unexpected signature algorithm";
    return {};
}

// The signed content for CMS_verify. CMS_verify copies a memory BIO into a new one and, in
// OpenSSL 3.0.19 (openssl/openssl#30471, fixed upstream in 2026), leaks that copy when the
// SignedData names no usable digest (an empty digestAlgorithms SET): one crafted package, one
// leak, in every verifier. A buffer BIO in front of the memory BIO is read as it is.
BioPtr content_bio(std::span<const std::uint8_t> content) {
    static const std::uint8_t nothing = 0;  // BIO_new_mem_buf refuses a null pointer
    BioPtr memory(BIO_new_mem_buf(content.empty() ? &nothing : content.data(),
                                  static_cast<int>(content.size())));
    BioPtr buffered(BIO_new(BIO_f_buffer()));
    if (!memory || !buffered) throw_openssl("allocating the BIO of the signed content");
    BIO_push(buffered.get(), memory.release());
    return buffered;
}

}  // namespace

void check_signature(std::span<const std::uint8_t> p7s, std::span<const std::uint8_t> content,
                     STACK_OF(X509) * anchors, VerifyReport& report) {
    const unsigned char* p = p7s.data();
    CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(p7s.size())));
    if (!cms) {
        report.problems.push_back(
            {"signature-malformed", "manifest.json.p7s is not DER CMS: " + openssl_errors()});
        return;
    }
    // DER has one encoding per value: anything else (trailing bytes, BER lengths) is damage.
    unsigned char* der = nullptr;
    const int der_len = i2d_CMS_ContentInfo(cms.get(), &der);
    const bool canonical = p == p7s.data() + p7s.size() &&
                           der_len == static_cast<int>(p7s.size()) &&
                           std::equal(p7s.begin(), p7s.end(), der);
    OPENSSL_free(der);
    if (!canonical) {
        report.problems.push_back({"signature-malformed",
                                   "manifest.json.p7s is not canonical DER or has trailing bytes"});
        return;
    }
    if (OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed || !CMS_is_detached(cms.get())) {
        report.problems.push_back(
            {"signature-malformed", "manifest.json.p7s is not a detached SignedData"});
        return;
    }
    BioPtr data = content_bio(content);
    if (CMS_verify(cms.get(), nullptr, nullptr, data.get(), nullptr,
                   CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1) {
        report.problems.push_back(
            {"signature-invalid",
             "the signature does not match manifest.json: " + openssl_errors()});
        return;
    }
    if (const auto bad = check_unsigned_fields(p7s, cms.get()); !bad.empty()) {
        report.problems.push_back({"signature-malformed", "manifest.json.p7s: " + bad});
        return;
    }
    report.signature_valid = true;
    // CMS_get0_signers gives a new stack of borrowed certificates: free the stack only.
    std::unique_ptr<STACK_OF(X509), BorrowedStackDeleter> signers(CMS_get0_signers(cms.get()));
    X509* signer =
        signers && sk_X509_num(signers.get()) > 0 ? sk_X509_value(signers.get(), 0) : nullptr;
    if (signer) report.signer = certificate_subject(signer);

    X509StackPtr embedded(CMS_get1_certs(cms.get()));
    if (!embedded) embedded.reset(sk_X509_new_null());
    check_embedded_certificates(embedded.get(), anchors, report);

    if (sk_X509_num(anchors) == 0) {
        report.trusted = false;
        report.trust =
            signer && self_signed(signer) ? "self-signed / untrusted" : "untrusted (no CA given)";
        return;
    }
    X509StorePtr store(X509_STORE_new());
    for (int i = 0; i < sk_X509_num(anchors); ++i)
        X509_STORE_add_cert(store.get(), sk_X509_value(anchors, i));
    BioPtr again = content_bio(content);
    if (CMS_verify(cms.get(), nullptr, store.get(), again.get(), nullptr, CMS_BINARY) == 1) {
        report.trusted = true;
        report.trust = "trusted";
    } else {
        report.trust = "untrusted";
        report.problems.push_back(
            {"signature-untrusted",
             "the signer does not chain to the given CA: " + openssl_errors()});
    }
}

X509StackPtr load_anchors(const VerifyOptions& options, VerifyReport& report) {
    std::string pem = options.ca_pem;
    try {
        if (options.ca_file) pem += read_text_file(*options.ca_file);
        auto anchors = certificates_from_pem(pem);
        if ((options.ca_file || !options.ca_pem.empty()) && sk_X509_num(anchors.get()) == 0)
            report.problems.push_back({"ca-unreadable", "no certificate in the given CA"});
        return anchors;
    } catch (const CryptoError& e) {
        report.problems.push_back({"ca-unreadable", e.what()});
        return X509StackPtr(sk_X509_new_null());
    }
}

}  // namespace rekam::pkg

#include "biometrics/package/seal.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstring>

#include "biometrics/package/hash_chain.h"
#include "biometrics/package/strict_json.h"
#include "biometrics/package/tar_io.h"

namespace rekam::pkg {

using nlohmann::json;

namespace {

constexpr std::string_view kRsaOaep = "rsaes-oaep-sha256";
constexpr std::string_view kEcdhP256 = "ecdh-p256-sha256kdf-aes256wrap";

std::string certificate_sha256(X509* certificate) {
    unsigned char* der = nullptr;
    const int n = i2d_X509(certificate, &der);
    if (n <= 0) throw_openssl("encoding a recipient certificate");
    const auto digest = sha256(std::span<const std::uint8_t>(der, static_cast<std::size_t>(n)));
    OPENSSL_free(der);
    return to_hex(digest);
}

// How the content key reaches this recipient; refuses keys the envelope does not use.
std::string key_management_of(X509* certificate) {
    EVP_PKEY* key = X509_get0_pubkey(certificate);
    if (!key) throw_openssl("reading a recipient's public key");
    if (EVP_PKEY_is_a(key, "RSA")) {
        if (EVP_PKEY_get_bits(key) < 2048)
            throw CryptoError("an RSA key of " + std::to_string(EVP_PKEY_get_bits(key)) +
                              " bits (at least 2048 are needed)");
        return std::string(kRsaOaep);
    }
    if (EVP_PKEY_is_a(key, "EC")) {
        char group[64] = {};
        std::size_t length = 0;
        if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                           &length) != 1 ||
            std::strcmp(group, "prime256v1") != 0)
            throw CryptoError(std::string("an EC key on curve ") +
                              (group[0] ? group : "(unknown)") + " (P-256 is needed)");
        return std::string(kEcdhP256);
    }
    throw CryptoError(std::string("a ") + EVP_PKEY_get0_type_name(key) +
                      " key (RSA or EC P-256 is needed)");
}

// RSA recipients get OAEP with SHA-256 (OpenSSL's default is PKCS #1 v1.5), EC ones an SHA-256
// KDF (its default is SHA-1): the choices MOSIP and RFC 5753/8017 recommend.
void set_key_parameters(CMS_RecipientInfo* info, const std::string& key_management) {
    EVP_PKEY_CTX* ctx = CMS_RecipientInfo_get0_pkey_ctx(info);
    if (!ctx) throw_openssl("a recipient's key context");
    const bool ok = key_management == kRsaOaep
                        ? EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0 &&
                              EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) > 0 &&
                              EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) > 0
                        : EVP_PKEY_CTX_set_ecdh_kdf_md(ctx, EVP_sha256()) > 0;
    if (!ok) throw_openssl("setting " + key_management + " for a recipient");
}

std::vector<std::uint8_t> der_of(CMS_ContentInfo* cms) {
    unsigned char* der = nullptr;
    const int n = i2d_CMS_ContentInfo(cms, &der);
    if (n <= 0) throw_openssl("encoding package.cms");
    std::vector<std::uint8_t> out(der, der + n);
    OPENSSL_free(der);
    return out;
}

std::vector<std::uint8_t> encrypt(std::span<const std::uint8_t> content,
                                  const SealRecipients& recipients) {
    // AES-256-GCM makes CMS_encrypt build AuthEnvelopedData; CMS_PARTIAL leaves room to set
    // each recipient's parameters before the content is encrypted.
    CmsPtr cms(CMS_encrypt_ex(nullptr, nullptr, EVP_aes_256_gcm(), CMS_BINARY | CMS_PARTIAL,
                              nullptr, nullptr));
    if (!cms) throw_openssl("creating AuthEnvelopedData");
    for (int i = 0; i < sk_X509_num(recipients.certificates()); ++i) {
        CMS_RecipientInfo* info = CMS_add1_recipient_cert(
            cms.get(), sk_X509_value(recipients.certificates(), i), CMS_KEY_PARAM);
        if (!info) throw_openssl("adding recipient " + recipients.described()[i].subject);
        set_key_parameters(info, recipients.described()[i].key_management);
    }
    BioPtr in(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
    if (!in) throw_openssl("BIO_new_mem_buf");
    if (CMS_final(cms.get(), in.get(), nullptr, CMS_BINARY) != 1)
        throw_openssl("encrypting the package");
    return der_of(cms.get());
}

json envelope_to_json(const Envelope& e) {
    json recipients = json::array();
    for (const auto& r : e.recipients)
        recipients.push_back({{"certificate_sha256", r.certificate_sha256},
                              {"key_management", r.key_management},
                              {"subject", r.subject}});
    return json{{"format", e.format},
                {"transaction_id", e.transaction_id},
                {"station_id", e.station_id},
                {"finalized_at", e.finalized_at},
                {"content",
                 {{"file", e.content_file},
                  {"format", e.content_format},
                  {"encryption", e.encryption},
                  {"bytes", e.content_bytes},
                  {"sha256", e.content_sha256}}},
                {"recipients", recipients}};
}

}  // namespace

std::string serialize_envelope(const Envelope& e) {
    try {
        return envelope_to_json(e).dump(2, ' ', false, json::error_handler_t::strict) + "\n";
    } catch (const json::exception& err) {
        throw ManifestError(std::string("envelope: cannot serialise: ") + err.what());
    }
}

Envelope parse_envelope(std::string_view text) {
    json j;
    try {
        j = json::parse(text.begin(), text.end());
    } catch (const json::exception& err) {
        throw ManifestError(std::string("envelope.json: ") + err.what());
    }
    Envelope e;
    StrictObject o(j, "envelope");
    e.format = o.string("format");
    e.transaction_id = o.string("transaction_id");
    e.station_id = o.string("station_id");
    e.finalized_at = o.string("finalized_at");
    StrictObject c(o.at("content"), o.path("content"));
    e.content_file = c.string("file");
    e.content_format = c.string("format");
    e.encryption = c.string("encryption");
    e.content_bytes = c.integer("bytes");
    e.content_sha256 = c.string("sha256");
    c.finish();
    const json& recipients = o.array("recipients");
    for (std::size_t i = 0; i < recipients.size(); ++i) {
        StrictObject r(recipients[i], o.path("recipients") + "[" + std::to_string(i) + "]");
        e.recipients.push_back(
            {r.string("certificate_sha256"), r.string("subject"), r.string("key_management")});
        r.finish();
    }
    o.finish();
    return e;
}

SealRecipients::SealRecipients() : certificates_(sk_X509_new_null()) {
    if (!certificates_) throw_openssl("sk_X509_new_null");
}

SealRecipients SealRecipients::from_pem(std::string_view pem, const std::string& origin) {
    SealRecipients r;
    r.add_pem(pem, origin);
    return r;
}

void SealRecipients::add_pem(std::string_view pem, const std::string& origin) {
    X509StackPtr found;
    try {
        found = certificates_from_pem(pem);
    } catch (const CryptoError& e) {
        throw CryptoError(origin + ": " + e.what());
    }
    if (sk_X509_num(found.get()) == 0) throw CryptoError(origin + ": no PEM certificate in it");
    while (sk_X509_num(found.get()) > 0) {
        X509Ptr cert(sk_X509_shift(found.get()));
        EnvelopeRecipient d{certificate_sha256(cert.get()), certificate_subject(cert.get()), {}};
        try {
            d.key_management = key_management_of(cert.get());
        } catch (const CryptoError& e) {
            throw CryptoError(origin + ": recipient " + d.subject + " has " + e.what());
        }
        for (const auto& known : described_)
            if (known.certificate_sha256 == d.certificate_sha256)
                throw CryptoError(origin + ": recipient " + d.subject + " is listed twice");
        if (sk_X509_push(certificates_.get(), cert.get()) == 0) throw_openssl("sk_X509_push");
        cert.release();  // the stack owns it now
        described_.push_back(std::move(d));
    }
}

std::vector<std::uint8_t> seal_package(std::span<const std::uint8_t> signed_package,
                                       const Manifest& manifest, const SealRecipients& recipients,
                                       const StationSigner& signer) {
    const auto finalized = parse_utc(manifest.finalized_at);
    if (!finalized) throw PackageError("finalized_at is not a UTC time: " + manifest.finalized_at);
    std::vector<std::uint8_t> content = encrypt(signed_package, recipients);
    Envelope e;
    e.transaction_id = manifest.transaction_id;
    e.station_id = manifest.station_id;
    e.finalized_at = manifest.finalized_at;
    e.content_bytes = static_cast<long>(content.size());
    e.content_sha256 = to_hex(sha256(content));
    e.recipients = recipients.described();
    const std::string text = serialize_envelope(e);
    std::vector<std::uint8_t> header(text.begin(), text.end());
    std::vector<std::uint8_t> signature = signer.sign_detached(header);
    return write_tar({{std::string(kEnvelopeName), std::move(header)},
                      {std::string(kEnvelopeSignatureName), std::move(signature)},
                      {std::string(kSealedContentName), std::move(content)}},
                     std::chrono::system_clock::to_time_t(*finalized));
}

bool is_sealed_package(std::span<const std::uint8_t> bytes) {
    // The first ustar header's name field (100 bytes at offset 0), NUL-terminated.
    constexpr std::size_t kHeader = 512;
    return bytes.size() >= kHeader && bytes.size() % kHeader == 0 &&
           std::memcmp(bytes.data(), kEnvelopeName.data(), kEnvelopeName.size()) == 0 &&
           bytes[kEnvelopeName.size()] == 0;
}

OpenedContent::~OpenedContent() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

OpenedContent open_sealed_content(std::span<const std::uint8_t> cms_der,
                                  std::string_view private_key_pem) {
    BioPtr key_bio(
        BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())));
    if (!key_bio) throw_openssl("BIO_new_mem_buf");
    EvpPkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
    if (!key) throw_openssl("reading the decryption key");

    const unsigned char* p = cms_der.data();
    CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(cms_der.size())));
    if (!cms || p != cms_der.data() + cms_der.size()) {
        ERR_clear_error();
        throw CryptoError("package.cms is not one DER-encoded CMS structure");
    }
    if (OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_id_smime_ct_authEnvelopedData)
        throw CryptoError("package.cms is not AuthEnvelopedData");
    // Into wiped memory: on a tag mismatch CMS_decrypt has already written the unauthenticated
    // plaintext here before it fails, and a secure-memory BIO clears it when freed.
    BioPtr out(BIO_new(BIO_s_secmem()));
    if (!out) throw_openssl("BIO_new");
    if (CMS_decrypt(cms.get(), key.get(), nullptr, nullptr, out.get(), CMS_BINARY) != 1)
        throw_openssl(
            "cannot open package.cms (not a recipient's key, or the ciphertext "
            "was altered)");
    char* data = nullptr;
    const long n = BIO_get_mem_data(out.get(), &data);
    return OpenedContent(std::vector<std::uint8_t>(data, data + n));
}

}  // namespace rekam::pkg

#include "biometrics/package/cms.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace rekam::pkg {

std::string openssl_errors() {
    std::string out;
    while (unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        if (!out.empty()) out += "; ";
        out += buf;
    }
    return out;
}

void throw_openssl(const std::string& context) {
    const auto queue = openssl_errors();
    throw CryptoError(context + (queue.empty() ? "" : ": " + queue));
}

namespace {

BioPtr memory_bio(std::string_view text) {
    BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    if (!bio) throw_openssl("BIO_new_mem_buf");
    return bio;
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(n));
}

EvpPkeyPtr generate_key(KeyType type) {
    EvpPkeyPtr key(type == KeyType::ec_p256
                       ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                       : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(3072)));
    if (!key) throw_openssl("generating a station key");
    return key;
}

void add_extension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
    X509ExtPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
        throw_openssl(std::string("adding certificate extension ") + OBJ_nid2sn(nid));
}

std::string key_to_pem(EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        throw_openssl("writing a private key");
    return bio_text(bio.get());
}

std::string cert_to_pem(X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) throw_openssl("writing a certificate");
    return bio_text(bio.get());
}

void write_file(const std::filesystem::path& path, const std::string& text, mode_t mode) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) throw CryptoError("cannot create " + path.string() + ": " + std::strerror(errno));
    // The mode of an existing file is not changed by open(): set it explicitly (key: 0600).
    bool ok = ::fchmod(fd, mode) == 0;
    std::size_t done = 0;
    while (ok && done < text.size()) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    const int saved = errno;
    ::close(fd);
    if (!ok) throw CryptoError("cannot write " + path.string() + ": " + std::strerror(saved));
}

}  // namespace

std::string read_text_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CryptoError("cannot open " + path.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

X509Ptr certificate_from_pem(std::string_view pem) {
    auto bio = memory_bio(pem);
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) throw_openssl("reading a PEM certificate");
    return cert;
}

X509StackPtr certificates_from_pem(std::string_view pem) {
    X509StackPtr stack(sk_X509_new_null());
    if (!stack) throw_openssl("sk_X509_new_null");
    if (pem.empty()) return stack;
    auto bio = memory_bio(pem);
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        if (sk_X509_push(stack.get(), cert) == 0) {
            X509_free(cert);
            throw_openssl("sk_X509_push");
        }
    }
    // The loop ends on "no start line"; that is the normal end, not an error.
    ERR_clear_error();
    return stack;
}

StationSigner StationSigner::from_pem(std::string_view key_pem, std::string_view certificate_pem,
                                      std::string_view chain_pem) {
    StationSigner s;
    auto key_bio = memory_bio(key_pem);
    s.key_.reset(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
    if (!s.key_) throw_openssl("reading the station private key");
    s.certificate_ = certificate_from_pem(certificate_pem);
    if (X509_check_private_key(s.certificate_.get(), s.key_.get()) != 1)
        throw_openssl("the station key does not match its certificate");
    s.chain_ = certificates_from_pem(chain_pem);
    return s;
}

StationSigner StationSigner::from_files(const std::filesystem::path& key,
                                        const std::filesystem::path& certificate,
                                        const std::optional<std::filesystem::path>& chain) {
    return from_pem(read_text_file(key), read_text_file(certificate),
                    chain ? read_text_file(*chain) : std::string());
}

std::vector<std::uint8_t> StationSigner::sign_detached(
    std::span<const std::uint8_t> content) const {
    BioPtr in(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
    if (!in) throw_openssl("BIO_new_mem_buf");
    CmsPtr cms(CMS_sign(certificate_.get(), key_.get(), chain_.get(), in.get(),
                        CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP));
    if (!cms) throw_openssl("CMS_sign of manifest.json");
    unsigned char* der = nullptr;
    const int len = i2d_CMS_ContentInfo(cms.get(), &der);
    if (len <= 0) throw_openssl("encoding the CMS signature");
    std::vector<std::uint8_t> out(der, der + len);
    OPENSSL_free(der);
    return out;
}

std::string certificate_subject(X509* certificate) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio) throw_openssl("BIO_new");
    X509_NAME_print_ex(bio.get(), X509_get_subject_name(certificate), 0, XN_FLAG_RFC2253);
    return bio_text(bio.get());
}

std::string StationSigner::subject() const { return certificate_subject(certificate_.get()); }

std::string StationSigner::certificate_pem() const { return cert_to_pem(certificate_.get()); }

long long StationSigner::seconds_until_expiry(std::time_t now) const {
    Asn1TimePtr at(ASN1_TIME_set(nullptr, now));
    int days = 0, seconds = 0;
    if (!at ||
        ASN1_TIME_diff(&days, &seconds, at.get(), X509_get0_notAfter(certificate_.get())) != 1)
        throw_openssl("reading the station certificate's notAfter");
    return static_cast<long long>(days) * 86400 + seconds;
}

std::string StationSigner::not_after() const {
    std::tm tm{};
    if (ASN1_TIME_to_tm(X509_get0_notAfter(certificate_.get()), &tm) != 1)
        throw_openssl("reading the station certificate's notAfter");
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

bool StationSigner::valid_yet(std::time_t now) const {
    return X509_cmp_time(X509_get0_notBefore(certificate_.get()), &now) < 0;
}

PemKeyAndCertificate make_certificate(const CertificateSpec& spec,
                                      const PemKeyAndCertificate* issuer) {
    auto key = generate_key(spec.key_type);
    X509Ptr cert(X509_new());
    if (!cert) throw_openssl("X509_new");
    X509_set_version(cert.get(), X509_VERSION_3);
    // 127-bit random positive serial, as RFC 5280 recommends.
    BignumPtr bn(BN_new());
    if (!bn || BN_rand(bn.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1)
        throw_openssl("certificate serial number");
    Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
    if (!serial || X509_set_serialNumber(cert.get(), serial.get()) != 1)
        throw_openssl("certificate serial number");
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);  // tolerate small clock skew
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(spec.days) * 86400);
    X509NamePtr name(X509_NAME_new());
    auto add = [&](const char* field, const std::string& value) {
        if (X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char*>(value.c_str()), -1,
                                       -1, 0) != 1)
            throw_openssl(std::string("certificate name field ") + field);
    };
    add("O", "rekam");
    add("CN", spec.common_name);
    X509_set_subject_name(cert.get(), name.get());
    X509_set_pubkey(cert.get(), key.get());

    X509Ptr issuer_cert;
    EvpPkeyPtr issuer_key;
    if (issuer) {
        issuer_cert = certificate_from_pem(issuer->certificate_pem);
        auto bio = memory_bio(issuer->key_pem);
        issuer_key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
        if (!issuer_key) throw_openssl("reading the issuer key");
        X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert.get()));
    } else {
        X509_set_issuer_name(cert.get(), name.get());
    }
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer ? issuer_cert.get() : cert.get(), cert.get(), nullptr, nullptr, 0);
    add_extension(cert.get(), &ctx, NID_basic_constraints,
                  spec.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    add_extension(cert.get(), &ctx, NID_key_usage,
                  spec.is_ca ? "critical,keyCertSign,cRLSign,digitalSignature"
                             : "critical,digitalSignature,nonRepudiation");
    add_extension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
    if (issuer) add_extension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
    if (X509_sign(cert.get(), issuer ? issuer_key.get() : key.get(), EVP_sha256()) <= 0)
        throw_openssl("signing the certificate");
    return {key_to_pem(key.get()), cert_to_pem(cert.get())};
}

void generate_self_signed(const std::filesystem::path& key_path,
                          const std::filesystem::path& certificate_path,
                          const std::string& common_name, int days, KeyType key_type) {
    const auto pair = make_certificate({common_name, days, key_type, false});
    write_file(key_path, pair.key_pem, 0600);
    write_file(certificate_path, pair.certificate_pem, 0644);
}

}  // namespace rekam::pkg

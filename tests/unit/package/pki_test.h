// A test suite that signs and verifies: one test PKI per suite (making keys is slow), the
// station's signer and the verify options that trust its CA.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "biometrics/package/verify.h"
#include "fixtures.h"

namespace rekam::testing {

class PkiTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { pki_ = std::make_unique<TestPki>(make_test_pki()); }
    static void TearDownTestSuite() { pki_.reset(); }
    static pkg::StationSigner station() {
        return pkg::StationSigner::from_pem(pki_->station.key_pem, pki_->station.certificate_pem,
                                            pki_->ca.certificate_pem);
    }
    static pkg::VerifyOptions with_ca() { return {std::nullopt, pki_->ca.certificate_pem}; }
    static inline std::unique_ptr<TestPki> pki_;
};

}  // namespace rekam::testing

// rekamctl: the administrators' and technicians' tool for rekamd.
#include <CLI/CLI.hpp>
#include <iostream>

#include "tools/client/connection.h"
#include "tools/rekamctl/commands.h"
#include "tools/rekamctl/output.h"

using namespace rekam::ctl;

int main(int argc, char** argv) {
    CLI::App app{"rekamctl: talk to rekamd, the e-KTP enrollment-station daemon"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(REKAM_VERSION));
    // Global options anywhere: a verb hands the options it does not know to the app, so
    // `rekamctl status --json` and `rekamctl --json status` mean the same.
    app.fallthrough();
    app.footer("Global options go before or after the command; COMMAND --help shows an example.");
    Global g;
    app.add_option("--bus-address", g.bus_address, "D-Bus address instead of the system bus");
    app.add_flag("--json", g.json, "machine-readable output (keys in kebab-case, see rekamctl(1))");

    auto* status = app.add_subcommand("status", "daemon and device summary");
    status->footer("Example:\n  rekamctl status --json");
    auto* devices = app.add_subcommand("devices", "list the capture devices");
    devices->footer("Example:\n  rekamctl devices");
    DiagnoseOptions dop;
    auto* diagnose = app.add_subcommand(
        "diagnose", "test every device (self-test, frame rate, one scored capture) and report");
    diagnose->footer(
        "Examples:\n  rekamctl diagnose --html /tmp/station-report.html\n"
        "  rekamctl diagnose --no-capture --json");
    diagnose->add_option("--html", dop.html, "also write the report with the images to FILE");
    diagnose->add_flag("!--no-capture", dop.capture,
                       "no test captures (nobody at the readers); self-tests and rates only");
    diagnose
        ->add_option("--capture-timeout-ms", dop.capture_timeout_ms,
                     "longest wait for each test capture (default 10000)")
        ->check(CLI::Range(1, 600000));

    BookOptions bo;
    auto* book = app.add_subcommand("book", "list the registration book (Buku Registrasi E-KTP)");
    book->footer(
        "Examples:\n  rekamctl book --limit 20\n  rekamctl book --verify --ca dukcapil-ca.pem");
    auto* book_limit = book->add_option("--limit", bo.limit, "only the last N entries");
    auto* book_verify =
        book->add_flag("--verify", bo.verify,
                       "re-compute the book's hash chain and check its signed checkpoints; exit 1 "
                       "on an edited entry, a forged checkpoint or a removed tail")
            ->excludes(book_limit);
    book->add_option("--ca", bo.ca_file,
                     "CA certificate (PEM) the checkpoints' signer must chain to (default: "
                     "CAFile= of rekamd.conf)")
        ->needs(book_verify);
    auto* book_config =
        book->add_option("--config", bo.config,
                         "rekamd.conf to take CAFile= from (default " + bo.config + ")")
            ->check(CLI::ExistingFile)
            ->needs(book_verify);

    EnrollOptions eo;
    auto* enroll =
        app.add_subcommand("enroll", "walk one whole enrollment with the present devices");
    enroll->footer(
        "Example:\n  rekamctl enroll --nik 3273011501900001 --kk 3273010101900001 \\\n      "
        "--documents kk-copy,id-copy,rt-letter --operator clerk1 --exception "
        "left-little=amputated");
    enroll->add_option("--nik", eo.nik, "the citizen's NIK (16 digits)")->required();
    enroll->add_option("--kk", eo.kk, "the family card number (16 digits)")->required();
    enroll
        ->add_option("--documents", eo.documents, "documents handed in: kk-copy,id-copy,rt-letter")
        ->delimiter(',');
    enroll->add_option("--operator", eo.operator_id, "who records")->required();
    enroll->add_option("--name", eo.name, "the citizen's name, for the registration book");
    enroll->add_option("--exception", eo.exceptions,
                       "POSITION=REASON, e.g. left-little=amputated (repeatable)");
    enroll->add_option("--requested-score", eo.requested_score, "auto-capture score (0-100)");
    enroll->add_option("--timeout-ms", eo.timeout_ms,
                       "per-capture timeout; then the best frame is kept");
    enroll->add_option("--max-attempts", eo.max_attempts,
                       "per-capture frames; then the best one is kept");
    enroll->add_option("--contact-sheet", eo.contact_sheet,
                       "write every capture with its score into this PNG");

    AcknowledgeOptions ao;
    auto* acknowledge = app.add_subcommand(
        "acknowledge", "Adminduk confirmed a package: book it and remove it from the spool");
    acknowledge->footer(
        "Example:\n  rekamctl acknowledge 0b7e...-4c1d-... --receipt ADM-2026-000123");
    acknowledge->add_option("transaction", ao.transaction_id, "the package's transaction id")
        ->required();
    acknowledge->add_option("--receipt", ao.receipt, "Adminduk's receipt number, for the book");
    acknowledge->add_option("--package-sha256", ao.package_sha256,
                            "the SHA-256 Adminduk received; refused if it is not the package's");

    VerifyOptions vo;
    auto* verify = app.add_subcommand(
        "verify", "check an enroll package: signature, signer's trust, chain, every hash");
    verify->footer(
        "Examples:\n  rekamctl verify --ca dukcapil-ca.pem /var/lib/rekam/spool/TXID.rekam\n"
        "  rekamctl verify --ca dukcapil-ca.pem --decrypt-key adminduk-key.pem TXID.rekam");
    verify->add_option("package", vo.package, "the .rekam file, signed or sealed")
        ->required()
        ->check(CLI::ExistingFile);
    auto* ca = verify->add_option(
        "--ca", vo.ca_file,
        "CA certificate (PEM) the signer must chain to (default: CAFile= of rekamd.conf)");
    auto* config = verify
                       ->add_option("--config", vo.config,
                                    "rekamd.conf to take CAFile= from (default " + vo.config + ")")
                       ->check(CLI::ExistingFile);
    verify
        ->add_option("--decrypt-key", vo.decrypt_key,
                     "a recipient's private key (PEM) to open a sealed package; it is "
                     "decrypted in memory, never written")
        ->check(CLI::ExistingFile);
    verify
        ->add_flag("--no-trust-check", vo.no_trust_check,
                   "check signature and hashes only; whoever signed is not checked")
        ->excludes(ca)
        ->excludes(config);

    PreviewOptions po;
    const std::string device_help =
        "a device as `devices` names it (fingerprint_0), a kind (fingerprint, iris, face, "
        "signature) or an "
        "object path";
    // Test-capture options, shared by preview and capture.
    auto test_options = [&](CLI::App* verb) {
        verb->add_flag("--overlay", po.overlay,
                       "draw what the capture found: minutiae, pupil and limbus, eye centres "
                       "(a scored capture by rekamd, also for cameras)");
        verb->add_option("--position", po.position,
                         "what a scored capture records, e.g. left-thumb (default: right-index, "
                         "right-iris or face)");
        verb->add_option("--requested-score", po.requested_score,
                         "score at which a scored capture stops (default: the station's)")
            ->check(CLI::Range(0, 100));
    };
    auto* preview = app.add_subcommand(
        "preview", "save what a device sees as PNG frames (a reader: one per impression)");
    preview->footer(
        "Examples:\n  rekamctl preview iris --frames 10 --out /tmp/iris-frames\n"
        "  rekamctl preview fingerprint_0 --frames 3 --overlay --out /tmp/prints");
    preview->add_option("device", po.device, device_help)->required();
    preview->add_option("--out", po.out, "directory for frame-NNNNNN.png")->required();
    preview->add_option("--frames", po.frames, "how many frames (default 30)");
    preview->add_option("--timeout-ms", po.timeout_ms,
                        "longest wait for one frame (default 5000; for a scored capture, the "
                        "station's capture timeout)");
    test_options(preview);
    auto* capture =
        app.add_subcommand("capture", "save one scored impression or still of a device as PNG");
    capture->footer(
        "Examples:\n  rekamctl capture fingerprint_0 --overlay --out /tmp/finger.png\n"
        "  rekamctl capture face --out /tmp/face.png\n"
        "  rekamctl capture signature --out /tmp/signature.png");
    capture->add_option("device", po.device, device_help)->required();
    capture->add_option("--out", po.out, "the PNG file")->required();
    capture->add_option("--timeout-ms", po.timeout_ms,
                        "longest wait (default 5000 for a camera still; for a scored capture, "
                        "the station's capture timeout)");
    test_options(capture);

    std::string fault_device;
    std::vector<std::string> fault_settings;
    auto* fault =
        app.add_subcommand("fault", "inject a fault into a simulated device (diagnostics)");
    fault->footer("Example:\n  rekamctl fault fingerprint condition=dry");
    fault
        ->add_option("device", fault_device,
                     "fingerprint, iris, face, signature, or a device object path")
        ->required();
    fault->add_option("settings", fault_settings, "KEY=VALUE, e.g. condition=dry unplug=true")
        ->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? kOk : kUsage;
    }
    try {
        if (*status) return cmd_status(g);
        if (*devices) return cmd_devices(g);
        if (*diagnose) return cmd_diagnose(g, dop);
        if (*book) {
            bo.config_given = book_config->count() > 0;
            return cmd_book(g, bo);
        }
        if (*acknowledge) return cmd_acknowledge(g, ao);
        if (*enroll) return cmd_enroll(g, eo);
        if (*verify) {
            vo.config_given = config->count() > 0;
            return cmd_verify(g, vo);
        }
        if (*preview) return cmd_preview(g, po);
        if (*capture) return cmd_capture(g, po);
        if (*fault) return cmd_fault(g, fault_device, fault_settings);
    } catch (const rekam::client::CallError& e) {
        std::cerr << "rekamctl: " << e.what() << " (" << e.name() << ")\n";
        return kUnavailable;
    } catch (const std::exception& e) {
        std::cerr << "rekamctl: " << e.what() << "\n";
        return kFailed;
    }
    return kUsage;
}

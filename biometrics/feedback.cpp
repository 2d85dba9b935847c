#include "biometrics/feedback.h"

#include <array>

namespace rekam::bio {
namespace {

constexpr std::array kTexts = {
    // capture flow
    FeedbackText{"place-finger", "Letakkan jari di pemindai", "Place the finger on the scanner"},
    FeedbackText{"lift-finger", "Angkat jari dari pemindai", "Lift the finger off the scanner"},
    FeedbackText{"hold-still", "Tahan, jangan bergerak", "Hold still"},
    FeedbackText{"good", "Bagus", "Good"},
    FeedbackText{"no-object", "Tidak ada objek yang terdeteksi", "Nothing detected"},
    // fingerprint
    FeedbackText{"too-dark", "Terlalu gelap: tekan lebih ringan atau keringkan jari",
                 "Too dark: press more lightly or dry the finger"},
    FeedbackText{"too-light", "Terlalu terang: tekan sedikit lebih kuat",
                 "Too light: press a little harder"},
    FeedbackText{"too-small", "Sidik jari terlalu kecil: letakkan jari lebih rata",
                 "Print too small: lay the finger flatter"},
    FeedbackText{"not-centred", "Geser jari ke tengah pemindai", "Move the finger to the centre"},
    FeedbackText{"smudged", "Noda atau basah: bersihkan pemindai dan keringkan jari",
                 "Smudged or wet: clean the scanner and dry the finger"},
    FeedbackText{"too-dry", "Jari terlalu kering: lembapkan sedikit",
                 "Finger too dry: moisten it slightly"},
    FeedbackText{"low-quality", "Kualitas belum cukup: ulangi dengan hati-hati",
                 "Quality not yet enough: try again carefully"},
    FeedbackText{"low-contrast", "Kontras rendah", "Low contrast"},
    // iris
    FeedbackText{"open-eyes-wider", "Buka mata lebih lebar", "Open your eyes wider"},
    FeedbackText{"look-at-camera", "Lihat ke kamera", "Look at the camera"},
    FeedbackText{"move-closer", "Mendekat ke kamera", "Move closer"},
    FeedbackText{"move-back", "Mundur sedikit dari kamera", "Move back a little"},
    FeedbackText{"remove-glasses", "Lepaskan kacamata", "Remove your glasses"},
    FeedbackText{"blurred", "Gambar kabur: tahan diam", "Blurred: hold still"},
    FeedbackText{"eye-not-found", "Mata tidak ditemukan", "Eye not found"},
    // face
    FeedbackText{"face-not-found", "Wajah tidak ditemukan", "No face found"},
    FeedbackText{"several-faces", "Lebih dari satu wajah", "More than one face"},
    FeedbackText{"overexposed", "Terlalu terang: kurangi cahaya", "Overexposed: reduce the light"},
    FeedbackText{"underexposed", "Terlalu gelap: tambah cahaya", "Underexposed: add light"},
    FeedbackText{"uneven-light", "Cahaya tidak merata di wajah", "Uneven light on the face"},
    FeedbackText{"background-not-uniform", "Latar belakang tidak rata", "Background not uniform"},
    FeedbackText{"wrong-backdrop", "Warna latar salah (merah: tahun lahir ganjil, biru: genap)",
                 "Wrong backdrop colour (red: odd birth year, blue: even)"},
    FeedbackText{"centre-face", "Posisikan wajah di tengah", "Centre the face"},
    FeedbackText{"straighten-head", "Luruskan kepala", "Straighten your head"},
    FeedbackText{"eyes-not-visible", "Mata tidak terlihat jelas: buka mata, lepaskan kacamata",
                 "Eyes not clearly visible: open your eyes, remove glasses"},
    FeedbackText{"open-eyes", "Buka mata, lihat ke kamera",
                 "Open your eyes and look at the camera"},
    FeedbackText{"neutral-expression", "Ekspresi netral: mulut tertutup, jangan tersenyum",
                 "Neutral expression: mouth closed, no smile"},
    FeedbackText{"colour-cast", "Warna wajah tidak wajar: periksa lampu dan white balance",
                 "Colour cast on the face: check the lights and the white balance"},
    FeedbackText{"show-both-hands", "Tunjukkan kedua tangan di samping wajah",
                 "Show both hands beside the face"},
    // device
    FeedbackText{"device-error", "Perangkat bermasalah", "Device problem"},
};

// Signature pad (biometrics/signature/quality.h): the same code may mean something else for a
// finger, so these are looked up with the modality.
constexpr std::array kSignatureTexts = {
    FeedbackText{"sign-now", "Silakan tanda tangan di dalam kotak", "Please sign inside the box"},
    FeedbackText{"too-short", "Tanda tangan terlalu singkat: tanda tangan seperti biasa",
                 "Signature too short: sign as you usually do"},
    FeedbackText{"outside-box", "Tanda tangan keluar dari kotak: ulangi di dalam kotak",
                 "Signature goes outside the box: sign again inside it"},
    FeedbackText{"too-small", "Tanda tangan terlalu kecil: tanda tangan lebih besar",
                 "Signature too small: sign larger"},
    FeedbackText{"no-pressure", "Tekanan pena tidak terbaca: tekan pena ke layar",
                 "No pen pressure: press the pen onto the pad"},
    FeedbackText{"pen-lifted-too-long", "Pena terangkat terlalu lama: selesaikan atau ulangi",
                 "Pen lifted too long: finish or start again"},
    FeedbackText{"low-quality", "Tanda tangan kurang jelas: ulangi dengan tenang",
                 "Signature not clear enough: sign again calmly"},
};

}  // namespace

FeedbackText feedback_text(std::string_view code, std::string_view modality) {
    if (modality == "signature")
        for (const auto& t : kSignatureTexts)
            if (t.code == code) return t;
    return feedback_text(code);
}

FeedbackText feedback_text(std::string_view code) {
    for (const auto& t : kTexts)
        if (t.code == code) return t;
    for (const auto& t : kSignatureTexts)
        if (t.code == code) return t;
    return FeedbackText{code, "Periksa pengambilan", "Check the capture"};
}

}  // namespace rekam::bio

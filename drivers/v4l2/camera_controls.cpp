#include "drivers/v4l2/camera_controls.h"

#include <linux/videodev2.h>

#include <algorithm>

namespace rekam::drivers::v4l2 {
namespace {

// One setting: the control that holds its value and the one that switches its auto mode.
struct Knob {
    const char* name;
    std::uint32_t value_id;
    std::uint32_t auto_id;  // 0: none
    std::optional<ControlWish> (*wish)(const CameraSettings&);
};

const Knob kKnobs[] = {
    {"exposure", V4L2_CID_EXPOSURE_ABSOLUTE, V4L2_CID_EXPOSURE_AUTO,
     [](const CameraSettings& s) { return s.exposure; }},
    {"gain", V4L2_CID_GAIN, V4L2_CID_AUTOGAIN, [](const CameraSettings& s) { return s.gain; }},
    {"focus", V4L2_CID_FOCUS_ABSOLUTE, V4L2_CID_FOCUS_AUTO,
     [](const CameraSettings& s) { return s.focus; }},
    {"illumination", V4L2_CID_ILLUMINATORS_1, 0,
     [](const CameraSettings& s) -> std::optional<ControlWish> {
         if (!s.illumination) return std::nullopt;
         return ControlWish{false, *s.illumination ? 1 : 0};
     }},
};

bool is_switch(const Knob& k) { return k.value_id == V4L2_CID_ILLUMINATORS_1; }

std::string wish_text(const Knob& k, const ControlWish& w) {
    if (w.automatic) return "auto";
    if (is_switch(k)) return w.value ? "on" : "off";
    return std::to_string(w.value);
}

std::string range_text(const ControlInfo& info) {
    std::string r = std::to_string(info.minimum) + "-" + std::to_string(info.maximum);
    if (info.step > 1) r += " step " + std::to_string(info.step);
    return r;
}

bool offers(const ControlInfo& menu, std::int32_t item) {
    return std::any_of(menu.menu.begin(), menu.menu.end(),
                       [item](const auto& m) { return m.first == item; });
}

// The auto control's value for auto on or off; empty when the camera's control has none.
std::optional<std::int32_t> auto_value(const ControlInfo& info, bool on) {
    if (info.type == V4L2_CTRL_TYPE_MENU) {  // V4L2_CID_EXPOSURE_AUTO
        if (!on)
            return offers(info, V4L2_EXPOSURE_MANUAL)
                       ? std::optional<std::int32_t>(V4L2_EXPOSURE_MANUAL)
                       : std::nullopt;
        // Fully automatic, else what UVC cameras call auto: aperture priority (automatic
        // exposure time, fixed iris), which is all a fixed-aperture webcam can do.
        for (std::int32_t mode : {V4L2_EXPOSURE_AUTO, V4L2_EXPOSURE_APERTURE_PRIORITY})
            if (offers(info, mode)) return mode;
        return std::nullopt;
    }
    const std::int32_t v = on ? 1 : 0;
    if (v < info.minimum || v > info.maximum) return std::nullopt;
    return v;
}

bool auto_is_on(const ControlInfo& info, std::int32_t value) {
    return info.type == V4L2_CTRL_TYPE_MENU ? value != V4L2_EXPOSURE_MANUAL : value != 0;
}

void apply_one(V4l2Stream& stream, const Knob& k, const ControlWish& wish,
               std::vector<std::string>& out) {
    const std::string name = k.name;
    const std::string asked = name + " " + wish_text(k, wish);
    const auto value_info = stream.query_control(k.value_id);
    const auto auto_info = k.auto_id ? stream.query_control(k.auto_id) : std::nullopt;
    if (wish.automatic) {
        const auto on = auto_info ? auto_value(*auto_info, true) : std::nullopt;
        if (!on) {
            out.push_back(asked + " skipped: the camera has no automatic " + name);
            return;
        }
        stream.set_control(k.auto_id, *on);
        return;
    }
    if (!value_info) {
        out.push_back(asked + " skipped: the camera has no " + name + " control");
        return;
    }
    if (value_info->flags & V4L2_CTRL_FLAG_READ_ONLY) {
        out.push_back(asked + " skipped: the camera's " + name + " control is read-only");
        return;
    }
    if (auto_info) {
        // Manual mode first: while the auto mode runs the value control is inactive, and newer
        // uvcvideo refuses to set an inactive control.
        if (const auto off = auto_value(*auto_info, false))
            stream.set_control(k.auto_id, *off);
        else
            out.push_back(asked + ": the camera offers no manual " + name + " mode");
    }
    const std::int32_t fitted = fit_to_control(wish.value, *value_info);
    if (fitted != wish.value)
        out.push_back(asked + " is not a value the camera takes (" + range_text(*value_info) +
                      "): set " + std::to_string(fitted));
    stream.set_control(k.value_id, fitted);
}

std::string describe_one(const V4l2Stream& stream, const Knob& k,
                         const std::optional<ControlWish>& wish) {
    const auto value_info = stream.query_control(k.value_id);
    const auto auto_info = k.auto_id ? stream.query_control(k.auto_id) : std::nullopt;
    if (!value_info && !auto_info)
        return wish ? "not offered; rekam sets " + wish_text(k, *wish) + ": skipped"
                    : "not offered";
    std::string now;
    if (value_info) {
        const std::int32_t v = stream.get_control(k.value_id);
        now = is_switch(k) ? (v ? "on" : "off")
                           : std::to_string(v) + " (" + range_text(*value_info) + ")";
    } else {
        now = "no manual value";
    }
    if (auto_info) {
        const std::int32_t a = stream.get_control(k.auto_id);
        now += std::string(", auto ") + (auto_is_on(*auto_info, a) ? "on" : "off");
    }
    if (!wish) return now + "; rekam leaves it";
    std::string line = now + "; rekam sets " + wish_text(k, *wish);
    if (wish->automatic) {
        if (!auto_info || !auto_value(*auto_info, true)) line += ": skipped, no automatic mode";
    } else if (!value_info) {
        line += ": skipped, not offered";
    } else if (const auto f = fit_to_control(wish->value, *value_info); f != wish->value) {
        line += ", clamped to " + std::to_string(f);
    }
    return line;
}

}  // namespace

std::int32_t fit_to_control(std::int32_t value, const ControlInfo& info) {
    if (info.maximum <= info.minimum) return info.minimum;
    const std::int64_t min = info.minimum, max = info.maximum;
    const std::int64_t step = info.step > 0 ? info.step : 1;
    const std::int64_t v = std::clamp<std::int64_t>(value, min, max);
    std::int64_t fitted = min + (v - min + step / 2) / step * step;  // the nearest step
    if (fitted > max) fitted -= step;
    return static_cast<std::int32_t>(fitted);
}

std::vector<std::string> apply_controls(V4l2Stream& stream, const CameraSettings& settings) {
    std::vector<std::string> out;
    for (const auto& k : kKnobs) {
        const auto wish = k.wish(settings);
        if (!wish) continue;
        try {
            apply_one(stream, k, *wish, out);
        } catch (const V4l2Error& e) {
            std::string why = e.what();  // "<node>: VIDIOC_S_CTRL: ...": the log names the node
            if (why.rfind(stream.node() + ": ", 0) == 0) why.erase(0, stream.node().size() + 2);
            out.push_back(std::string(k.name) + " " + wish_text(k, *wish) + " not set: " + why);
        }
    }
    return out;
}

std::map<std::string, std::string> describe_controls(const V4l2Stream& stream,
                                                     const CameraSettings& settings) {
    std::map<std::string, std::string> out;
    for (const auto& k : kKnobs) {
        try {
            out[k.name] = describe_one(stream, k, k.wish(settings));
        } catch (const V4l2Error& e) {
            out[k.name] = std::string("cannot be read: ") + e.what();
        }
    }
    return out;
}

}  // namespace rekam::drivers::v4l2

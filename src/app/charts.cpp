#include "app/charts.hpp"

#include <algorithm>
#include <cmath>

namespace terrane::charts {

std::vector<double> niceTicks(double lo, double hi, int target) {
    std::vector<double> out;
    if (!(hi > lo) || target < 1) return {lo};
    const double raw = (hi - lo) / target;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (raw <= m * mag) {
            step = m * mag;
            break;
        }
    for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
        out.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
    return out;
}

double niceCeil(double hi) {
    if (!(hi > 0)) return 1.0;
    const auto t = niceTicks(0, hi, 5);
    return t.back() >= hi ? t.back() : t.back() + (t.size() > 1 ? t[1] - t[0] : hi);
}

ImU32 withAlpha(ImU32 c, float alpha) {
    const auto a = static_cast<ImU32>(std::clamp(alpha, 0.0f, 1.0f) * 255.0f);
    return (c & ~IM_COL32_A_MASK) | (a << IM_COL32_A_SHIFT);
}

ImU32 gridColor() {
    return withAlpha(ImGui::GetColorU32(ImGuiCol_Text), 0.12f);
}
ImU32 textColor() {
    return ImGui::GetColorU32(ImGuiCol_TextDisabled);
}
ImU32 amberColor(bool dark) {
    return dark ? IM_COL32(251, 191, 36, 255) : IM_COL32(202, 138, 4, 255);
}

Plot beginPlot(const char* id, ImVec2 size, double x0, double x1, double y0, double y1, const Format& fmtY,
               float pr, float leftMargin, float bottomMargin) {
    Plot p;
    p.pr = pr;
    if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(id, size);
    p.hovered = ImGui::IsItemHovered();
    p.mouse = ImGui::GetIO().MousePos;
    p.dl = ImGui::GetWindowDrawList();
    p.min = ImVec2(origin.x + leftMargin * pr, origin.y + 8 * pr);
    p.max = ImVec2(origin.x + size.x - 8 * pr, origin.y + size.y - bottomMargin * pr);
    p.x0 = x0;
    p.x1 = x1 > x0 ? x1 : x0 + 1;
    p.y0 = y0;
    p.y1 = y1 > y0 ? y1 : y0 + 1;
    p.bottom = origin.y + size.y;
    p.hovered = p.hovered && p.mouse.x >= p.min.x && p.mouse.x <= p.max.x && p.mouse.y >= p.min.y &&
                p.mouse.y <= p.max.y;
    const ImU32 grid = gridColor(), text = textColor();
    // Without a range (all values equal) only the baseline is labelled: no column of "$0".
    const std::vector<double> ticks = y1 > y0 ? niceTicks(p.y0, p.y1, std::max(2, static_cast<int>((p.max.y - p.min.y) / (34 * pr))))
                                              : std::vector<double>{p.y0};
    for (double t : ticks) {
        const float yy = p.y(t);
        if (yy < p.min.y - 1 || yy > p.max.y + 1) continue;
        p.dl->AddLine(ImVec2(p.min.x, yy), ImVec2(p.max.x, yy), grid, 1.0f);
        const std::string s = fmtY(t);
        const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
        p.dl->AddText(ImVec2(p.min.x - ts.x - 6 * pr, yy - ts.y * 0.5f), text, s.c_str());
    }
    p.dl->AddLine(ImVec2(p.min.x, p.max.y), ImVec2(p.max.x, p.max.y),
                  withAlpha(ImGui::GetColorU32(ImGuiCol_Text), 0.35f), 1.0f);
    return p;
}

void xLabel(const Plot& p, double x, const std::string& text, ImU32 color) {
    const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
    const float left = std::min(p.x(x) - ts.x * 0.5f, p.max.x + 6 * p.pr - ts.x); // kept inside the chart
    p.dl->AddText(ImVec2(left, p.max.y + 4 * p.pr), color, text.c_str());
}

void hline(const Plot& p, double y, ImU32 color, const char* label, float thickness) {
    const float yy = p.y(y);
    if (yy < p.min.y || yy > p.max.y) return;
    p.dl->AddLine(ImVec2(p.min.x, yy), ImVec2(p.max.x, yy), color, thickness * p.pr);
    if (label && *label) {
        const ImVec2 ts = ImGui::CalcTextSize(label);
        p.dl->AddText(ImVec2(p.max.x - ts.x - 4 * p.pr, yy - ts.y - 2 * p.pr), color, label);
    }
}

void vline(const Plot& p, double x, ImU32 color, const char* label, float thickness) {
    const float xx = p.x(x);
    if (xx < p.min.x || xx > p.max.x) return;
    p.dl->AddLine(ImVec2(xx, p.min.y), ImVec2(xx, p.max.y), color, thickness * p.pr);
    if (label && *label) {
        // Right of the line, or left of it when the label would leave the plot.
        const float w = ImGui::CalcTextSize(label).x;
        p.dl->AddText(ImVec2(xx + 4 * p.pr + w > p.max.x ? xx - 4 * p.pr - w : xx + 4 * p.pr, p.min.y), color, label);
    }
}

void polyline(const Plot& p, const std::vector<double>& xs, const std::vector<double>& ys, ImU32 color, float thickness) {
    std::vector<ImVec2> pts;
    pts.reserve(xs.size());
    for (std::size_t i = 0; i < xs.size() && i < ys.size(); ++i)
        pts.emplace_back(p.x(xs[i]), std::clamp(p.y(ys[i]), p.min.y, p.max.y));
    p.dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), color, 0, thickness * p.pr);
}

void histogram(const Plot& p, const std::vector<double>& counts, ImU32 color) {
    const double w = (p.x1 - p.x0) / static_cast<double>(std::max<std::size_t>(1, counts.size()));
    for (std::size_t i = 0; i < counts.size(); ++i) {
        if (counts[i] <= 0) continue;
        const double a = p.x0 + w * static_cast<double>(i);
        p.dl->AddRectFilled(ImVec2(p.x(a) + 1, p.y(counts[i])), ImVec2(p.x(a + w) - 1, p.y(p.y0)), color);
    }
}

void hband(const Plot& p, double a, double b, ImU32 color) {
    const float ya = std::clamp(p.y(a), p.min.y, p.max.y), yb = std::clamp(p.y(b), p.min.y, p.max.y);
    p.dl->AddRectFilled(ImVec2(p.min.x, std::min(ya, yb)), ImVec2(p.max.x, std::max(ya, yb)), color);
}

} // namespace terrane::charts

namespace terrane::charts {

void emptyChart(const char* id, ImVec2 size, const std::string& why, float pr) {
    if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
    const ImVec2 a = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(id, size);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 b(a.x + size.x, a.y + size.y);
    dl->AddRect(ImVec2(a.x + 1, a.y + 1), ImVec2(b.x - 1, b.y - 1), gridColor(), 4.0f * pr);
    const float wrap = std::max(40.0f * pr, size.x - 24 * pr);
    const ImVec2 ts = ImGui::CalcTextSize(why.c_str(), nullptr, false, wrap);
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(a.x + (size.x - ts.x) * 0.5f, a.y + (size.y - ts.y) * 0.5f), textColor(),
                why.c_str(), nullptr, wrap);
}

void slotLabels(const Plot& p, const std::vector<std::string>& labels, ImU32 color) {
    if (labels.empty()) return;
    float widest = 0;
    for (const auto& l : labels) widest = std::max(widest, ImGui::CalcTextSize(l.c_str()).x);
    const float slotW = (p.max.x - p.min.x) / static_cast<float>(labels.size());
    const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((widest + 8 * p.pr) / std::max(1.0f, slotW))));
    const float lineH = ImGui::GetTextLineHeight();
    if (every == 2 && p.bottom - p.max.y >= 2 * lineH + 6 * p.pr) { // staggered: every label, odd ones a row lower
        Plot lower = p;
        lower.max.y += lineH;
        for (std::size_t i = 0; i < labels.size(); ++i) xLabel(i % 2 ? lower : p, static_cast<double>(i), labels[i], color);
        return;
    }
    for (std::size_t i = 0; i < labels.size(); i += every) xLabel(p, static_cast<double>(i), labels[i], color);
}

int hoveredSlot(const Plot& p, std::size_t n) {
    if (!p.hovered || n == 0) return -1;
    const long i = std::lround(p.dataX(p.mouse.x));
    return i >= 0 && i < static_cast<long>(n) ? static_cast<int>(i) : -1;
}

int barChart(const char* id, ImVec2 size, const std::vector<std::string>& labels, const std::vector<double>& values,
             const Format& fmtY, float pr, ImU32 color) {
    double lo = 0, hi = 0;
    for (double v : values) lo = std::min(lo, v), hi = std::max(hi, v);
    const Plot p = beginPlot(id, size, -0.5, static_cast<double>(values.size()) - 0.5, lo < 0 ? -niceCeil(-lo) : 0.0, niceCeil(hi), fmtY, pr);
    const float w = (p.max.x - p.min.x) / static_cast<float>(std::max<std::size_t>(1, values.size())) * 0.7f;
    const int hover = hoveredSlot(p, values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const float cx = p.x(static_cast<double>(i));
        const float a = p.y(0), b = p.y(values[i]);
        p.dl->AddRectFilled(ImVec2(cx - w * 0.5f, std::min(a, b)), ImVec2(cx + w * 0.5f, std::max(a, b)),
                            static_cast<int>(i) == hover ? color : withAlpha(color, 0.75f));
    }
    slotLabels(p, labels, textColor());
    return hover;
}

int bandChart(const char* id, ImVec2 size, const std::vector<BandSlot>& slots, const Format& fmtY, float pr, ImU32 color,
              ImU32 actualColor, ImU32 referenceColor) {
    double hi = 0;
    for (const BandSlot& s : slots) {
        hi = std::max({hi, s.hi, s.mid});
        if (!std::isnan(s.actual)) hi = std::max(hi, s.actual);
        if (!std::isnan(s.reference)) hi = std::max(hi, s.reference);
    }
    const Plot p = beginPlot(id, size, -0.5, static_cast<double>(slots.size()) - 0.5, 0.0, niceCeil(hi * 1.05), fmtY, pr);
    const std::size_t n = slots.size();
    const float slotW = (p.max.x - p.min.x) / static_cast<float>(std::max<std::size_t>(1, n));
    const float w = std::min(slotW * 0.6f, 90.0f * pr);
    // The fan: the band's outline joined across slots, under the per-slot boxes.
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const float xa = p.x(static_cast<double>(i)), xb = p.x(static_cast<double>(i + 1));
        p.dl->AddQuadFilled(ImVec2(xa, p.y(slots[i].hi)), ImVec2(xb, p.y(slots[i + 1].hi)), ImVec2(xb, p.y(slots[i + 1].lo)),
                            ImVec2(xa, p.y(slots[i].lo)), withAlpha(color, 0.12f));
        p.dl->AddLine(ImVec2(xa, p.y(slots[i].mid)), ImVec2(xb, p.y(slots[i + 1].mid)), withAlpha(color, 0.8f), 1.5f * pr);
    }
    const int hover = hoveredSlot(p, n);
    for (std::size_t i = 0; i < n; ++i) {
        const BandSlot& s = slots[i];
        const float cx = p.x(static_cast<double>(i));
        p.dl->AddRectFilled(ImVec2(cx - w * 0.5f, p.y(s.hi)), ImVec2(cx + w * 0.5f, p.y(s.lo)),
                            withAlpha(color, static_cast<int>(i) == hover ? 0.5f : 0.32f));
        p.dl->AddLine(ImVec2(cx - w * 0.5f, p.y(s.mid)), ImVec2(cx + w * 0.5f, p.y(s.mid)), color, 2.5f * pr);
        if (!std::isnan(s.reference))
            p.dl->AddLine(ImVec2(cx - w * 0.75f, p.y(s.reference)), ImVec2(cx + w * 0.75f, p.y(s.reference)), referenceColor, 2.0f * pr);
        if (!std::isnan(s.actual)) p.dl->AddCircleFilled(ImVec2(cx, p.y(s.actual)), 4.5f * pr, actualColor);
    }
    std::vector<std::string> labels;
    for (const BandSlot& s : slots) labels.push_back(s.label);
    slotLabels(p, labels, textColor());
    return hover;
}

int waterfallChart(const char* id, ImVec2 size, const std::vector<WaterfallStep>& steps, const Format& fmtY, float pr) {
    double run = 0, hi = 0;
    for (const WaterfallStep& s : steps) hi = std::max(hi, run += s.total ? 0.0 : s.value);
    // Room for two rows of step labels when they do not fit side by side.
    float widest = 0;
    for (const WaterfallStep& s : steps) widest = std::max(widest, ImGui::CalcTextSize(s.label.c_str()).x);
    const float plotW = (size.x > 0 ? size.x : ImGui::GetContentRegionAvail().x) - 72.0f * pr;
    const bool twoRows = widest + 8 * pr > plotW / static_cast<float>(std::max<std::size_t>(1, steps.size()));
    const float bottomMargin = twoRows ? 26.0f + ImGui::GetTextLineHeight() / pr : 22.0f;
    const Plot p = beginPlot(id, size, -0.5, static_cast<double>(steps.size()) - 0.5, 0.0, niceCeil(hi * 1.05), fmtY, pr, 64.0f, bottomMargin);
    const float w = (p.max.x - p.min.x) / static_cast<float>(std::max<std::size_t>(1, steps.size())) * 0.62f;
    const int hover = hoveredSlot(p, steps.size());
    run = 0;
    float prevTop = p.y(0);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const WaterfallStep& s = steps[i];
        const double from = s.total ? 0.0 : run, to = s.total ? run : run + s.value;
        if (!s.total) run = to;
        const float cx = p.x(static_cast<double>(i));
        const ImU32 c = s.color ? s.color : ImGui::GetColorU32(ImGuiCol_PlotHistogram);
        p.dl->AddRectFilled(ImVec2(cx - w * 0.5f, p.y(std::max(from, to))), ImVec2(cx + w * 0.5f, p.y(std::min(from, to))),
                            static_cast<int>(i) == hover ? c : withAlpha(c, 0.8f));
        if (i > 0) // the connector from the previous step's top
            p.dl->AddLine(ImVec2(cx - w * 0.5f - (p.x(1) - p.x(0) - w), prevTop), ImVec2(cx - w * 0.5f, prevTop), gridColor(), 1.0f * pr);
        prevTop = p.y(to);
        const std::string v = fmtY(s.total ? to : s.value);
        const ImVec2 ts = ImGui::CalcTextSize(v.c_str());
        p.dl->AddText(ImVec2(cx - ts.x * 0.5f, p.y(std::max(from, to)) - ts.y - 2 * pr), textColor(), v.c_str());
    }
    std::vector<std::string> labels;
    for (const WaterfallStep& s : steps) labels.push_back(s.label);
    slotLabels(p, labels, textColor());
    return hover;
}

int reliabilityChart(const char* id, ImVec2 size, const std::vector<ReliabilityBin>& bins, float pr, ImU32 color) {
    const Plot p = beginPlot(id, size, 0.0, 1.0, 0.0, 1.0, [](double v) { return std::to_string(static_cast<int>(std::lround(v * 100))) + "%"; }, pr,
                             44.0f);
    p.dl->AddLine(ImVec2(p.x(0), p.y(0)), ImVec2(p.x(1), p.y(1)), withAlpha(ImGui::GetColorU32(ImGuiCol_Text), 0.35f), 1.0f * pr);
    for (double t : {0.0, 0.25, 0.5, 0.75, 1.0}) xLabel(p, t, std::to_string(static_cast<int>(t * 100)) + "%", textColor());
    std::size_t most = 1;
    for (const ReliabilityBin& b : bins) most = std::max(most, b.count);
    int hover = -1;
    float best = 12.0f * pr;
    ImVec2 prev;
    for (std::size_t i = 0; i < bins.size(); ++i) {
        const ReliabilityBin& b = bins[i];
        if (b.count == 0) continue;
        const ImVec2 c(p.x(b.predicted), p.y(b.observed));
        if (i > 0 && prev.x > 0) p.dl->AddLine(prev, c, withAlpha(color, 0.6f), 1.5f * pr);
        prev = c;
        const float r = (3.0f + 6.0f * std::sqrt(static_cast<float>(b.count) / static_cast<float>(most))) * pr;
        p.dl->AddCircleFilled(c, r, color);
        const float d = std::hypot(p.mouse.x - c.x, p.mouse.y - c.y);
        if (p.hovered && d < std::max(best, r)) best = d, hover = static_cast<int>(i);
    }
    return hover;
}

} // namespace terrane::charts

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
    p.hovered = p.hovered && p.mouse.x >= p.min.x && p.mouse.x <= p.max.x && p.mouse.y >= p.min.y &&
                p.mouse.y <= p.max.y;
    const ImU32 grid = gridColor(), text = textColor();
    for (double t : niceTicks(p.y0, p.y1, std::max(2, static_cast<int>((p.max.y - p.min.y) / (34 * pr))))) {
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
    p.dl->AddText(ImVec2(p.x(x) - ts.x * 0.5f, p.max.y + 4 * p.pr), color, text.c_str());
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

// Small charts drawn with ImDrawList (no plotting library): a plot area with nice axes and grid
// lines, and helpers for bars, lines, bands and hover read-outs. Values in, pixels out.
#pragma once

#include <imgui.h>

#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace terrane::charts {

using Format = std::function<std::string(double)>;

struct Plot {
    ImDrawList* dl = nullptr;
    ImVec2 min, max;       // the plot area (inside the axes), screen pixels
    double x0 = 0, x1 = 1; // data range on x
    double y0 = 0, y1 = 1; // data range on y
    bool hovered = false;  // the mouse is over the plot area
    ImVec2 mouse;
    float pr = 1.0f; // pixel ratio
    float bottom = 0; // the bottom of the reserved area (room for x labels below max.y)
    float x(double v) const { return min.x + static_cast<float>((v - x0) / (x1 - x0)) * (max.x - min.x); }
    float y(double v) const { return max.y - static_cast<float>((v - y0) / (y1 - y0)) * (max.y - min.y); }
    double dataX(float px) const { return x0 + (px - min.x) / (max.x - min.x) * (x1 - x0); }
};

// "Nice" tick values (1, 2, 2.5, 5 x 10^k) covering [lo, hi] with about `target` steps.
std::vector<double> niceTicks(double lo, double hi, int target);
// Rounds `hi` up to the next nice tick (for axis ranges that start at 0).
double niceCeil(double hi);

// Reserves `size` (item width/height; width 0 = available), draws horizontal grid lines with
// y labels (formatted by `fmtY`) at nice ticks and the frame; x labels are drawn by the caller.
Plot beginPlot(const char* id, ImVec2 size, double x0, double x1, double y0, double y1, const Format& fmtY,
               float pixelRatio, float leftMargin = 64.0f, float bottomMargin = 22.0f);
// Text centred horizontally at x below the plot area.
void xLabel(const Plot& p, double x, const std::string& text, ImU32 color);
// A horizontal reference line across the plot with a label at its right end.
void hline(const Plot& p, double y, ImU32 color, const char* label, float thickness = 1.5f);
// A vertical reference line at x with a label at its top.
void vline(const Plot& p, double x, ImU32 color, const char* label, float thickness = 1.0f);
// A line through (xs[i], ys[i]) in data units.
void polyline(const Plot& p, const std::vector<double>& xs, const std::vector<double>& ys, ImU32 color, float thickness = 2.0f);
// Bars of a histogram: `counts` over equal bins from x0 to x1 of the plot, y in counts.
void histogram(const Plot& p, const std::vector<double>& counts, ImU32 color);
// A filled band between y = a and y = b.
void hband(const Plot& p, double a, double b, ImU32 color);
ImU32 withAlpha(ImU32 c, float alpha);

// Reserves `size` like a plot and says in its middle why there is nothing to draw ("No deals
// closed in these quarters"), so an empty chart never passes for a chart of zeros.
void emptyChart(const char* id, ImVec2 size, const std::string& why, float pixelRatio);
// Slots along x (periods, stages, deciles): labels under the plot, on two staggered rows when
// they do not fit side by side and the plot left room for two, else thinned so they never overlap.
void slotLabels(const Plot& p, const std::vector<std::string>& labels, ImU32 color);
// The slot under the mouse (slots centred on 0..n-1 with x0 = -0.5, x1 = n - 0.5), -1 when none.
int hoveredSlot(const Plot& p, std::size_t n);
// Vertical bars per slot from 0; returns the hovered slot (-1).
int barChart(const char* id, ImVec2 size, const std::vector<std::string>& labels, const std::vector<double>& values,
             const Format& fmtY, float pr, ImU32 color);
// A fan or band per slot: P10-P90 (light) with the P50 (line), an actual (dot) and a reference
// such as quota (dash) where not NaN. Headline fan per period; backtest band vs actual.
struct BandSlot {
    std::string label;
    double lo = 0, mid = 0, hi = 0;
    double actual = std::numeric_limits<double>::quiet_NaN();
    double reference = std::numeric_limits<double>::quiet_NaN();
};
int bandChart(const char* id, ImVec2 size, const std::vector<BandSlot>& slots, const Format& fmtY, float pr, ImU32 color,
              ImU32 actualColor, ImU32 referenceColor);
// A waterfall: each step adds its value to the running total (floating bar); `total` steps are
// drawn from 0 to the running total. Returns the hovered step (-1).
struct WaterfallStep {
    std::string label;
    double value = 0;
    bool total = false;
    ImU32 color = 0;
};
int waterfallChart(const char* id, ImVec2 size, const std::vector<WaterfallStep>& steps, const Format& fmtY, float pr);
// Calibration: predicted probability (x) against the observed frequency (y) per bin, on 0..1
// with the diagonal; dot area by count. Returns the hovered bin (-1).
struct ReliabilityBin {
    double predicted = 0, observed = 0;
    std::size_t count = 0;
};
int reliabilityChart(const char* id, ImVec2 size, const std::vector<ReliabilityBin>& bins, float pr, ImU32 color);
// Colours shared by the charts (theme-aware).
ImU32 gridColor();
ImU32 textColor();
ImU32 amberColor(bool dark);

} // namespace terrane::charts

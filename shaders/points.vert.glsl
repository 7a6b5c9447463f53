#version 300 es
// Account points: one point sprite per account, shaded as a disc in the fragment shader.
// (Point sprites, not instanced quads: one vertex per account, and software rasterisers such as
// SwiftShader handle each instance of an instanced draw as a draw of its own.)
precision highp float;
layout(location = 0) in vec2 a_pos;    // Web Mercator position in [0, 1]^2
layout(location = 1) in float a_size;  // diameter in CSS pixels
layout(location = 2) in float a_color; // palette index
layout(location = 3) in float a_flags; // 1 selected, 2 dimmed, 4 highlighted, 8 locked, 16 finding, 32 hollow
uniform vec2 u_center;   // world point at the centre of the viewport
uniform float u_scale;   // framebuffer pixels per world unit
uniform vec2 u_viewport; // viewport size in framebuffer pixels (the map rect plus a margin)
uniform float u_pixelRatio;
uniform float u_sizeScale;
uniform float u_maxPointSize; // the largest sprite the context draws, in framebuffer pixels
uniform sampler2D u_palette;  // N x 1 RGBA, one texel per colour
out float v_radius;
out float v_extent;
out vec4 v_color;
flat out int v_flags;

void main() {
    vec2 p = (a_pos - u_center) * u_scale;
    float radius = 0.5 * a_size * u_sizeScale * u_pixelRatio;
    int flags = int(a_flags + 0.5);
    if ((flags & 4) != 0) radius = max(radius * 1.3, radius + 2.5 * u_pixelRatio);
    float extent = min(radius + 1.5, 0.5 * u_maxPointSize);
    radius = min(radius, extent - 1.5);
    gl_Position = vec4(p.x / (0.5 * u_viewport.x), -p.y / (0.5 * u_viewport.y), 0.0, 1.0);
    gl_PointSize = 2.0 * extent;
    v_radius = radius;
    v_extent = extent;
    v_color = texelFetch(u_palette, ivec2(int(a_color + 0.5), 0), 0);
    v_flags = flags;
}

#version 300 es
// Account points: one instanced quad per account, expanded to a disc in the fragment shader.
precision highp float;
layout(location = 0) in vec2 a_corner; // quad corner in [-1, 1]^2
layout(location = 1) in vec2 a_pos;    // per instance: Web Mercator position in [0, 1]^2
layout(location = 2) in float a_size;  // per instance: diameter in CSS pixels
layout(location = 3) in float a_color; // per instance: palette index
layout(location = 4) in float a_flags; // per instance: 1 selected, 2 dimmed, 4 highlighted, 8 locked
uniform vec2 u_center;   // world point at the centre of the map rect
uniform float u_scale;   // framebuffer pixels per world unit
uniform vec2 u_viewport; // map rect size in framebuffer pixels
uniform float u_pixelRatio;
uniform float u_sizeScale;
uniform sampler2D u_palette; // N x 1 RGBA, one texel per colour
out vec2 v_offset;
out float v_radius;
out vec4 v_color;
flat out int v_flags;

void main() {
    vec2 p = (a_pos - u_center) * u_scale;
    float radius = 0.5 * a_size * u_sizeScale * u_pixelRatio;
    float extent = radius + 1.5;
    vec2 px = p + a_corner * extent;
    gl_Position = vec4(px.x / (0.5 * u_viewport.x), -px.y / (0.5 * u_viewport.y), 0.0, 1.0);
    v_offset = a_corner * extent;
    v_radius = radius;
    v_color = texelFetch(u_palette, ivec2(int(a_color + 0.5), 0), 0);
    v_flags = int(a_flags + 0.5);
}

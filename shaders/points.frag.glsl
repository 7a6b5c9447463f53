#version 300 es
// Antialiased disc with a darker rim. Flags: 1 selected (ring), 2 dimmed, 4 highlighted
// (moved against the baseline), 8 locked (dark centre), 16 a data-quality finding (amber ring),
// 32 hollow: placed only at a region or country centre (a ring with a faint fill).
precision mediump float;
in float v_radius;
in float v_extent;
in vec4 v_color;
flat in int v_flags;
uniform vec4 u_selectColor;
uniform vec4 u_highlightColor;
out vec4 o_color;

void main() {
    float d = length((gl_PointCoord * 2.0 - 1.0) * v_extent);
    float alpha = clamp(v_radius - d + 0.5, 0.0, 1.0);
    if (alpha <= 0.0) discard;
    vec3 rgb = v_color.rgb;
    float rim = clamp(d - (v_radius - 1.2), 0.0, 1.0);
    rgb = mix(rgb, rgb * 0.55, rim);
    float a = alpha * v_color.a;
    if ((v_flags & 32) != 0) a *= mix(1.0, 0.18, clamp(v_radius - max(1.8, v_radius * 0.38) - d + 0.5, 0.0, 1.0));
    if ((v_flags & 2) != 0) { rgb = mix(rgb, vec3(0.5), 0.6); a *= 0.35; }
    if ((v_flags & 8) != 0 && d < max(1.2, v_radius * 0.32)) rgb = vec3(0.05); // locked: dark centre
    if ((v_flags & 4) != 0) {
        float ring = clamp(d - (v_radius - 2.0), 0.0, 1.0);
        rgb = mix(rgb, u_highlightColor.rgb, ring);
    }
    if ((v_flags & 16) != 0) {
        // A data-quality finding: an amber ring around the territory colour.
        float ring = clamp(d - (v_radius - 2.0), 0.0, 1.0);
        rgb = mix(rgb, vec3(1.0, 0.72, 0.12), ring);
    }
    if ((v_flags & 1) != 0) {
        float ring = clamp(d - (v_radius - 2.5), 0.0, 1.0);
        rgb = mix(rgb, u_selectColor.rgb, ring);
    }
    o_color = vec4(rgb * a, a); // premultiplied
}

#version 300 es
// A texture laid over a rectangle of the world (territory areas, heat map).
precision highp float;
layout(location = 0) in vec2 a_corner; // [0, 1]^2
uniform vec4 u_world;   // x0, y0, x1, y1 in Web Mercator
uniform vec2 u_center;
uniform float u_scale;
uniform vec2 u_viewport;
out vec2 v_uv;

void main() {
    vec2 w = mix(u_world.xy, u_world.zw, a_corner);
    vec2 p = (w - u_center) * u_scale;
    gl_Position = vec4(p.x / (0.5 * u_viewport.x), -p.y / (0.5 * u_viewport.y), 0.0, 1.0);
    v_uv = a_corner;
}

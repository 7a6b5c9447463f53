#version 300 es
// Basemap polygons and lines in Web Mercator.
precision highp float;
layout(location = 0) in vec2 a_pos;
uniform vec2 u_center;
uniform float u_scale;
uniform vec2 u_viewport;

void main() {
    vec2 p = (a_pos - u_center) * u_scale;
    gl_Position = vec4(p.x / (0.5 * u_viewport.x), -p.y / (0.5 * u_viewport.y), 0.0, 1.0);
}

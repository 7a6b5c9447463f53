#version 300 es
// Polygons with a colour per vertex (county choropleth), in Web Mercator.
precision highp float;
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec4 a_color; // normalised RGBA8, straight alpha
uniform vec2 u_center;
uniform float u_scale;
uniform vec2 u_viewport;
out vec4 v_color;

void main() {
    vec2 p = (a_pos - u_center) * u_scale;
    gl_Position = vec4(p.x / (0.5 * u_viewport.x), -p.y / (0.5 * u_viewport.y), 0.0, 1.0);
    v_color = a_color;
}

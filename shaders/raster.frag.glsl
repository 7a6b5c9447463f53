#version 300 es
precision mediump float;
in vec2 v_uv;
uniform sampler2D u_tex; // straight-alpha RGBA
uniform float u_opacity;
out vec4 o_color;

void main() {
    vec4 c = texture(u_tex, v_uv);
    float a = c.a * u_opacity;
    o_color = vec4(c.rgb * a, a);
}

// OpenGL ES 3.0 (WebGL2) for the app's renderers.
#pragma once

#include <GLES3/gl3.h>

"""Media: what a recorded call sounds like. The dialogue of a call and its speech-to-text words,
eSpeak NG speaking it, the stereo MP3 (lameenc) served by byte ranges, and the bounded on-disk
cache of made recordings. It knows a call by its name, length, seed and parties, never by a
table. It may import the kernel (`mock_server.domain`'s errors, clock, timeutil, fields),
espeakng-loader and lameenc; nothing of the other rooms.
"""

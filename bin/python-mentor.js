#!/usr/bin/env node
"use strict";
require("../dist/python-mentor.js");

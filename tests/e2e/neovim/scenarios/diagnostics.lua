-- Opening a file shows python-mentor's pushed diagnostics in vim.diagnostic, at the right place.
local here = debug.getinfo(1, "S").source:sub(2)
local mentor = dofile(vim.fn.fnamemodify(here, ":p:h:h") .. "/mentor.lua")

mentor.run("diagnostics", function()
  mentor.start()
  local bufnr = mentor.open("app.py", mentor.SAMPLE)
  local diagnostics = mentor.wait_for_diagnostics(bufnr, "PYM004 and PYM001", function(list)
    return mentor.find_code(list, "PYM004") and mentor.find_code(list, "PYM001")
  end)
  mentor.expect(vim.deep_equal(mentor.codes(diagnostics), { "PYM005", "PYM004", "PYM001" }),
    "expected PYM005, PYM004, PYM001; got " .. mentor.summarize(diagnostics))

  for _, d in ipairs(diagnostics) do
    mentor.expect(d.source == "python-mentor", d.code .. " has source " .. tostring(d.source))
  end

  -- Neovim turns the server's UTF-16 columns into byte columns: they must land on the code itself.
  local context = mentor.find_code(diagnostics, "PYM004")
  local row, col = mentor.find(bufnr, "aiohttp.ClientSession as")
  mentor.expect(context.lnum == row and context.col == col and context.end_col == col + #"aiohttp.ClientSession",
    string.format("PYM004 should span aiohttp.ClientSession at %d:%d, is at %d:%d-%d", row, col, context.lnum, context.col, context.end_col))
  mentor.expect(context.severity == vim.diagnostic.severity.ERROR, "PYM004 should be an error")
  mentor.expect(context.message:find("`aiohttp.ClientSession()`", 1, true) ~= nil, "PYM004 message: " .. context.message)

  local identity = mentor.find_code(diagnostics, "PYM001")
  row, col = mentor.find(bufnr, "x is 1")
  mentor.expect(identity.lnum == row and identity.col == col and identity.end_col == col + #"x is 1",
    string.format("PYM001 should span `x is 1` at %d:%d, is at %d:%d-%d (a UTF-16/byte mix-up shifts it)", row, col, identity.lnum, identity.col, identity.end_col))
  mentor.expect(identity.severity == vim.diagnostic.severity.WARN, "PYM001 should be a warning")
  mentor.expect(identity.message:find("compares identity, not value", 1, true) ~= nil, "PYM001 message: " .. identity.message)
  mentor.expect(identity.message:find("Use `==`", 1, true) ~= nil, "PYM001 message should suggest ==: " .. identity.message)
end)

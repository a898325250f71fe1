-- Shared harness for the Neovim scenarios (tests/e2e/neovim/scenarios/*.lua).
--
-- Written for Neovim 0.7.2 (Debian 12), the oldest Neovim we support: the client is started with
-- vim.lsp.start_client + vim.lsp.buf_attach_client (0.8's vim.lsp.start does not exist there), and
-- 0.7 has no pull diagnostics, so everything here relies on the server pushing them.
--
-- A scenario runs inside `nvim --headless --clean -u NONE -c "luafile <scenario>"`. It reads:
--   PYM_SERVER_JS    the server bundle (python-mentor.js)
--   PYM_NODE         the node executable (default "node")
--   PYM_E2E_WORKDIR  an empty folder: the project root and home of the scenario's files
--   PYM_E2E_LOG      where the scenario writes what it did and why it failed
--   PYM_E2E_WAIT_MS  how long any one wait may take (default 10000)
-- It exits 0 when every expectation held and the server shut down cleanly, 1 otherwise, 2 when
-- the environment is incomplete. Nothing sleeps: every wait polls its condition with vim.wait.

local M = {}

-- --clean still loads filetype plugins, and ftplugin/python.vim probes for a Python provider by
-- starting python3 (over a second on a busy machine): no scenario needs one.
vim.g.loaded_python3_provider = 0

local started = vim.loop.hrtime()
local log_path = os.getenv("PYM_E2E_LOG")

--- Appends a line to the scenario log, stamped with the milliseconds since the start.
function M.log(message)
  local line = string.format("[%6d ms] %s\n", (vim.loop.hrtime() - started) / 1e6, message)
  if log_path then
    local file = io.open(log_path, "a")
    if file then
      file:write(line)
      file:close()
      return
    end
  end
  io.stderr:write(line)
end

local function require_env(name)
  local value = os.getenv(name)
  if value == nil or value == "" then
    M.log("missing environment variable " .. name .. " (run the scenario through tests/e2e/neovim.test.ts)")
    vim.cmd("cquit 2")
  end
  return value
end

M.bundle = require_env("PYM_SERVER_JS")
M.workdir = require_env("PYM_E2E_WORKDIR")
M.node = os.getenv("PYM_NODE") or "node"
M.wait_ms = tonumber(os.getenv("PYM_E2E_WAIT_MS") or "") or 10000

--- Stops the scenario: run() logs the message with a traceback (pointing at the scenario's line) and exits 1.
function M.fail(message)
  error(message, 0)
end

function M.expect(condition, message)
  if not condition then
    M.fail(message)
  end
end

--- Polls `condition` until it returns a value other than nil/false, and returns that value. At the
--- deadline it fails with `what`, plus whatever `describe` tells about the state it last saw.
function M.wait_for(what, condition, describe)
  local value
  local ok = vim.wait(M.wait_ms, function()
    value = condition()
    return value ~= nil and value ~= false
  end, 20)
  if not ok then
    M.fail(string.format("timed out after %d ms waiting for %s%s", M.wait_ms, what, describe and ("; " .. describe()) or ""))
  end
  return value
end

-- The server's exit, as on_exit reported it.
local server_exit

--- Starts `python-mentor lsp --stdio` the way a user's init.lua would, and waits until it is initialized.
function M.start()
  -- The LSP log (stdpath("cache")/nvim/lsp.log, in the test's temp folder) gets the traffic and
  -- the server's stderr; the test prints its tail when a scenario fails.
  vim.lsp.set_log_level("debug")
  local id = vim.lsp.start_client({
    name = "python-mentor",
    cmd = { M.node, M.bundle, "lsp", "--stdio" },
    root_dir = M.workdir,
    on_exit = function(code, signal)
      server_exit = { code = code, signal = signal }
    end,
  })
  M.expect(id ~= nil, "vim.lsp.start_client returned nil for " .. M.bundle)
  M.client_id = id
  M.log("started client " .. id .. ": " .. M.node .. " " .. M.bundle .. " lsp --stdio")
  M.wait_for("the server to answer initialize", function()
    local client = vim.lsp.get_client_by_id(id)
    return server_exit ~= nil or (client ~= nil and client.initialized)
  end)
  if server_exit then
    M.fail(string.format("the server exited during start-up (code %s, signal %s)", server_exit.code, server_exit.signal))
  end
  M.log("initialized")
  return id
end

--- Writes `lines` to a file in the work folder, edits it, and attaches the client (didOpen).
function M.open(name, lines)
  local path = M.workdir .. "/" .. name
  M.expect(vim.fn.writefile(lines, path) == 0, "could not write " .. path)
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  -- -u NONE turns filetype detection off; the filetype is the languageId of didOpen.
  vim.bo[bufnr].filetype = "python"
  M.expect(vim.lsp.buf_attach_client(bufnr, M.client_id), "buf_attach_client refused buffer " .. bufnr)
  M.log("opened " .. path .. " in buffer " .. bufnr)
  return bufnr
end

--- The 0-based row and byte column of the first occurrence of `needle` in the buffer.
function M.find(bufnr, needle)
  for row, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, true)) do
    local col = line:find(needle, 1, true)
    if col then
      return row - 1, col - 1
    end
  end
  M.fail("the buffer does not contain " .. needle)
end

function M.line(bufnr, row)
  return vim.api.nvim_buf_get_lines(bufnr, row, row + 1, true)[1]
end

--- Puts the cursor on the first occurrence of `needle`, `offset` bytes into it, as a user would.
function M.cursor_to(bufnr, needle, offset)
  local row, col = M.find(bufnr, needle)
  vim.api.nvim_win_set_cursor(0, { row + 1, col + (offset or 0) })
  return row, col
end

local function summarize(diagnostics)
  local parts = {}
  for _, d in ipairs(diagnostics) do
    table.insert(parts, string.format("%s@%d:%d", tostring(d.code), d.lnum, d.col))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end
M.summarize = summarize

--- The buffer's diagnostics once `accept(list)` holds (pushed by the server; nothing pulls in 0.7).
function M.wait_for_diagnostics(bufnr, what, accept)
  local diagnostics = M.wait_for(what, function()
    local list = vim.diagnostic.get(bufnr)
    table.sort(list, function(a, b)
      return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
    end)
    return accept(list) and list or nil
  end, function()
    return "diagnostics were " .. summarize(vim.diagnostic.get(bufnr))
  end)
  M.log("diagnostics: " .. summarize(diagnostics))
  return diagnostics
end

function M.codes(diagnostics)
  local codes = {}
  for _, d in ipairs(diagnostics) do
    table.insert(codes, d.code)
  end
  return codes
end

function M.find_code(diagnostics, code)
  for _, d in ipairs(diagnostics) do
    if d.code == code then
      return d
    end
  end
end

--- Sends a request for the buffer and returns python-mentor's result (nil for a JSON null).
function M.request(bufnr, method, params)
  local responses, reason = vim.lsp.buf_request_sync(bufnr, method, params, M.wait_ms)
  M.expect(responses ~= nil, method .. " got no answer: " .. tostring(reason))
  local response = responses[M.client_id]
  M.expect(response ~= nil, method .. ": python-mentor did not answer")
  M.expect(response.error == nil, method .. " failed: " .. vim.inspect(response.error))
  if response.result == vim.NIL then
    return nil
  end
  return response.result
end

--- The code actions at the first occurrence of `needle` (`offset` bytes into it), asked for the way
--- vim.lsp.buf.code_action() asks in 0.7: the cursor as the range, the line's diagnostics as context.
--- Returns the actions and the 0-based row.
function M.code_actions_at(bufnr, needle, offset)
  local row = M.cursor_to(bufnr, needle, offset)
  local params = vim.lsp.util.make_range_params(0, "utf-16")
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, row) }
  local actions = M.request(bufnr, "textDocument/codeAction", params) or {}
  local titles = {}
  for _, action in ipairs(actions) do
    table.insert(titles, action.title)
  end
  M.log("code actions: " .. table.concat(titles, " | "))
  return actions, row
end

--- The action titled `title`, or a failure listing the titles there were.
function M.action_titled(actions, title)
  local titles = {}
  for _, action in ipairs(actions) do
    if action.title == title then
      return action
    end
    table.insert(titles, action.title)
  end
  M.fail("no code action titled `" .. title .. "` among: " .. table.concat(titles, " | "))
end

--- Stops the client, waits for the server process to end, and quits Neovim with `code`
--- (1 as well when the server did not exit cleanly after shutdown/exit).
local function finish(code)
  local client = M.client_id and vim.lsp.get_client_by_id(M.client_id)
  if client then
    client.stop()
  end
  if M.client_id then
    local exited = vim.wait(M.wait_ms, function()
      return server_exit ~= nil
    end, 20)
    if not exited then
      M.log("FAIL: the server did not exit within " .. M.wait_ms .. " ms of shutdown/exit")
      code = 1
    elseif server_exit.code ~= 0 then
      M.log(string.format("FAIL: the server exited with code %s (signal %s)", server_exit.code, server_exit.signal))
      code = 1
    else
      M.log("the server exited with code 0")
    end
  end
  if code == 0 then
    vim.cmd("qall!")
  else
    vim.cmd("cquit " .. code)
  end
end

--- Runs a scenario: every failure (an expectation or any Lua error) is logged and exits 1.
function M.run(name, scenario)
  M.log("scenario " .. name .. " (Neovim " .. tostring(vim.version().major) .. "." .. tostring(vim.version().minor) .. "." .. tostring(vim.version().patch) .. ")")
  local ok, err = xpcall(scenario, function(e)
    return debug.traceback(tostring(e), 2)
  end)
  if ok then
    M.log("PASS")
    finish(0)
  else
    M.log("FAIL: " .. tostring(err))
    finish(1)
  end
end

--- The sample every scenario opens. Line 13 has Korean and an emoji before `x is 1`, so each
--- position crosses multi-byte UTF-8 and a UTF-16 surrogate pair between Neovim and the server.
M.SAMPLE = {
  "import aiohttp",
  "",
  "",
  "class Person:",
  "    @staticmethod",
  "    def make():",
  "        return Person()",
  "",
  "",
  "async def main(x):",
  '    total = len("인사 안녕")',
  "    async with aiohttp.ClientSession as session:",
  '        print("한국어 😀 표", x is 1, session, total)',
}

return M

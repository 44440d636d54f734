-- wrk script: each path of the file named after the URL is sent once; thread n of N takes every Nth path.
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  local step = tonumber(args[2] or "2")
  paths = {}
  local index = 0
  for line in io.lines(args[1]) do
    if index % step == id then
      table.insert(paths, line)
    end
    index = index + 1
  end
  position = 0
end

function request()
  position = position + 1
  -- Past the end the thread starts over (compare.py hands out more paths than a run can send, and says so if not).
  local path = paths[(position - 1) % #paths + 1]
  return wrk.format("GET", path)
end

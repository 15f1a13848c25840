using System.CommandLine;
using Retrieval.CommandLine;
using Retrieval.Data.Safety;

namespace Retrieval.Data.Commands;

/// <summary>
/// `retrieval-data check DIR --dataset NAME --for use|build [--may-create]`: what make may do with a data folder
/// (<see cref="DataDirCheck"/>). Exit 0: use it as it is (or, for build, nothing to do); 3: build the set into it;
/// 1: refused (one line on stderr naming the folder, as for any user error).
/// </summary>
public static class CheckCommand
{

    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "The data folder (DATA_DIR)" };
        var dataset = new Option<string>("--dataset") { Description = "The project set make would build there (DATASET)", Required = true };
        var purpose = new Option<DataDirPurpose>("--for")
        {
            Description = "use: make train/eval/serve read it; build: make data writes the set",
            DefaultValueFactory = _ => DataDirPurpose.Use,
        };
        var mayCreate = new Option<bool>("--may-create") { Description = "An absent folder may be built (make data, or the default data/<set>)" };
        var command = new Command("check", "Tell whether a data folder is used as it is, (re)built, or refused; never changes anything")
        {
            dir, dataset, purpose, mayCreate,
        };
        command.SetAction(parse =>
        {
            var verdict = DataDirCheck.Inspect(parse.GetValue(dir)!, parse.GetValue(dataset)!, parse.GetValue(purpose),
                parse.GetValue(purpose) == DataDirPurpose.Build || parse.GetValue(mayCreate));
            switch (verdict.Action)
            {
                case DataDirAction.Use:
                    Console.WriteLine(verdict.Message);
                    return ExitCodes.Success;
                case DataDirAction.Build:
                    Console.WriteLine(verdict.Message);
                    return ExitCodes.DataCheckBuild;
                default:
                    throw new CommandFailedException(verdict.Message);
            }
        });
        return command;
    }
}

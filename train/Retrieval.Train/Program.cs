using Retrieval.CommandLine;
using Retrieval.Train.Training;

return CommandLineApp.Run(TrainCommand.Create(), args);
